import Foundation
import Testing

/// `slowreg ingest` on inputs that are not regular files, and on a stray
/// time: one line naming the file (and row and field), exit 2, no store.
@Test func ingestNamesWhatIsWrongWithItsInput() throws {
    let dir = try ScratchDirectory()
    let store = dir.path("s.sqlite")
    for (input, expected) in [(dir.url.path, "is a directory"), ("/dev/null", "not a regular file (character device)")] {
        let result = try Slowreg.run(["ingest", input, "--store", store])
        #expect(result.status == 2, "\(input): \(result.status) \(result.stderr)")
        #expect(result.stderr.contains(expected) && result.stderr.split(separator: "\n").count == 1, "\(result.stderr)")
    }
    try "push_timestamp,value,machine_platform,suite\n2024-06-30 01:00:00,1,linux64,s\n0,2,linux64,s\n"
        .write(toFile: dir.path("zero.csv"), atomically: true, encoding: .utf8)
    let zero = try Slowreg.run(["ingest", dir.path("zero.csv"), "--store", store])
    #expect(zero.status == 2)
    #expect(zero.stderr.contains("zero.csv: line 3, field \"push_timestamp\"") && zero.stderr.contains("outside the accepted range"),
            "\(zero.stderr)")
    #expect(!FileManager.default.fileExists(atPath: store), "bad input: no store created")
    let late = try Slowreg.run(["ingest", dir.path("zero.csv"), "--time", "0", "--store", store])
    #expect(late.status != 0 && late.stderr.contains("outside the accepted range"), "\(late.stderr)")
}

/// `slowreg fit FILE` refuses a stray time instead of allocating a grid
/// from year 0.
@Test func fitRefusesAStrayTime() throws {
    let dir = try ScratchDirectory()
    try (seriesCSV(seed: 1, stepPercent: 0) + "0,100\n").write(toFile: dir.path("series.csv"), atomically: true, encoding: .utf8)
    let result = try Slowreg.run(["fit", dir.path("series.csv")])
    #expect(result.status == 2, "\(result.status) \(result.stderr)")
    #expect(result.stderr.contains("field \"time\"") && result.stderr.contains("outside the accepted range"), "\(result.stderr)")
}
