import Foundation
import Yams

/// A node of a YAML configuration file together with its key path, so every
/// validation failure can name the key (and line) at fault.
package struct ConfigNode {
    package let node: Node
    let path: String
    let file: String

    /// Parses YAML text; an empty document is an empty mapping.
    package static func load(yaml text: String, file: String) throws(ConfigError) -> ConfigNode {
        do {
            let node = try Yams.compose(yaml: text) ?? Node.mapping(Node.Mapping([]))
            return ConfigNode(node: node, path: "", file: file)
        } catch {
            let detail = String(describing: error).split(separator: "\n").first.map(String.init) ?? "not YAML"
            throw ConfigError(file: file, key: "(document)", problem: "not valid YAML: \(detail)")
        }
    }

    package static func load(url: URL) throws(ConfigError) -> ConfigNode {
        let data: Data
        do { data = try Data(contentsOf: url) } catch {
            throw ConfigError(file: url.relativePath, key: "(document)", problem: "cannot read the file: \(error.localizedDescription)")
        }
        guard let text = String(data: data, encoding: .utf8) else {
            throw ConfigError(file: url.relativePath, key: "(document)", problem: "not UTF-8 text")
        }
        return try load(yaml: text, file: url.relativePath)
    }

    package func failure(_ problem: String) -> ConfigError {
        let at = node.mark.map { " (line \($0.line))" } ?? ""
        return ConfigError(file: file, key: path.isEmpty ? "(document)" : path, problem: problem + at)
    }

    private func child(_ node: Node, key: String) -> ConfigNode {
        ConfigNode(node: node, path: path.isEmpty ? key : "\(path).\(key)", file: file)
    }

    /// The mapping's entries; a key outside `allowedKeys` is an error naming it.
    package func mapping(allowedKeys: [String]) throws(ConfigError) -> [String: ConfigNode] {
        guard let mapping = node.mapping else { throw failure("expected a mapping of keys to values") }
        var result: [String: ConfigNode] = [:]
        for (keyNode, valueNode) in mapping {
            guard let key = keyNode.scalar?.string else { throw failure("keys must be plain text") }
            let entry = child(valueNode, key: key)
            guard allowedKeys.contains(key) else {
                throw ConfigError(file: file, key: entry.path,
                                  problem: "unknown key; expected one of: \(allowedKeys.joined(separator: ", "))")
            }
            guard result[key] == nil else { throw entry.failure("given twice") }
            result[key] = entry
        }
        return result
    }

    /// The mapping's entries for keys the data names (e.g. suite names), each
    /// given once.
    package func openMapping() throws(ConfigError) -> [String: ConfigNode] {
        if node.null != nil { return [:] }
        guard let mapping = node.mapping else { throw failure("expected a mapping of keys to values") }
        var result: [String: ConfigNode] = [:]
        for (keyNode, valueNode) in mapping {
            guard let key = keyNode.scalar?.string, !key.isEmpty else { throw failure("keys must be non-empty plain text") }
            let entry = child(valueNode, key: key)
            guard result[key] == nil else { throw entry.failure("given twice") }
            result[key] = entry
        }
        return result
    }

    /// A scalar as text (numbers are read as written: `10` is "10").
    package func string() throws(ConfigError) -> String {
        guard let scalar = node.scalar else { throw failure("expected a single text value") }
        return scalar.string
    }

    /// A non-empty scalar.
    package func nonEmptyString() throws(ConfigError) -> String {
        let text = try string()
        guard !text.isEmpty else { throw failure("must not be empty") }
        return text
    }

    /// A sequence of nodes, each with its index in the path.
    func sequence() throws(ConfigError) -> [ConfigNode] {
        if node.null != nil { return [] }
        guard let sequence = node.sequence else { throw failure("expected a list") }
        return sequence.enumerated().map { index, element in
            ConfigNode(node: element, path: "\(path)[\(index)]", file: file)
        }
    }

    /// A list of non-empty texts.
    func stringList() throws(ConfigError) -> [String] {
        var result: [String] = []
        for element in try sequence() { result.append(try element.nonEmptyString()) }
        return result
    }
}
