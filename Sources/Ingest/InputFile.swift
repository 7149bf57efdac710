import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// An input file read in chunks of bounded size, so that reading a file of any
/// size needs memory for one chunk (``defaultChunkSize``), not the file.
///
/// Only regular files are read: ingest reads every file twice (once to check
/// it, once to store it), and a directory, a FIFO or a device would fail
/// obscurely, hang waiting for a writer, or read as empty. Each is named for what
/// it is instead.
public struct InputFile: Sendable {
    /// 1 MiB: large enough that the system call per chunk costs nothing, small
    /// enough to be irrelevant next to the store's page cache.
    public static let defaultChunkSize = 1 << 20

    public let url: URL
    public let chunkSize: Int

    public init(url: URL, chunkSize: Int = defaultChunkSize) {
        self.url = url
        self.chunkSize = max(1, chunkSize)
    }

    /// How the file is named in errors.
    public var name: String { url.relativePath }

    /// Refuses anything but an existing, readable regular file, naming what it is.
    public func checkRegularFile() throws(IngestError) {
        var info = stat()
        guard stat(url.path, &info) == 0 else {
            let reason = errno == ENOENT ? "no such file" : String(cString: strerror(errno))
            throw fileError("cannot read the file: \(reason)")
        }
        let kind = info.st_mode & mode_t(S_IFMT)
        switch kind {
        case mode_t(S_IFREG): return
        case mode_t(S_IFDIR): throw fileError("is a directory, not a file")
        case mode_t(S_IFIFO): throw fileError("is not a regular file (FIFO); write the data to a file first: ingest reads each file twice, to check it and then to store it")
        case mode_t(S_IFCHR): throw fileError("is not a regular file (character device)")
        case mode_t(S_IFBLK): throw fileError("is not a regular file (block device)")
        case mode_t(S_IFSOCK): throw fileError("is not a regular file (socket)")
        default: throw fileError("is not a regular file")
        }
    }

    /// Calls `body` with each chunk of the file in order (the last may be
    /// shorter; an empty file gives none). Checks the file first.
    public func forEachChunk(_ body: ([UInt8]) throws -> Void) throws {
        try checkRegularFile()
        let descriptor = open(url.path, O_RDONLY)
        guard descriptor >= 0 else { throw fileError("cannot read the file: \(String(cString: strerror(errno)))") }
        defer { close(descriptor) }
        var buffer = [UInt8](repeating: 0, count: chunkSize)
        while true {
            let count = buffer.withUnsafeMutableBytes { read(descriptor, $0.baseAddress, $0.count) }
            if count < 0 {
                if errno == EINTR { continue }
                throw fileError("cannot read the file: \(String(cString: strerror(errno)))")
            }
            if count == 0 { return }
            try body(count == buffer.count ? buffer : Array(buffer[0..<count]))
        }
    }

    /// The whole file, for formats read as one document (PERFHERDER_DATA).
    public func readAll() throws(IngestError) -> Data {
        try checkRegularFile()
        do { return try Data(contentsOf: url) } catch {
            throw fileError("cannot read the file: \(error.localizedDescription)")
        }
    }

    private func fileError(_ problem: String) -> IngestError {
        IngestError(file: name, line: 1, field: "(file)", problem: problem)
    }
}
