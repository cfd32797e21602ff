import Foundation

/// A validator for the subset of JSON Schema (draft 2020-12) our documented schemas use: `type`
/// (one or a list), `properties`, `required`, `additionalProperties: false`, `items`, `enum`,
/// `minimum`, `maximum` and local `$ref`s to `#/$defs/NAME`.
///
/// It reports every problem with its JSON path, so a schema test says exactly what drifted.
public struct JSONSchemaValidator {
    private let schema: [String: Any]

    /// Reads a schema file.
    /// - Throws: when the file cannot be read or is not a JSON object.
    public init(contentsOf path: String) throws {
        let data = try Data(contentsOf: URL(fileURLWithPath: path))
        guard let object = try JSONSerialization.jsonObject(with: data) as? [String: Any] else {
            throw CocoaError(.fileReadCorruptFile, userInfo: [NSFilePathErrorKey: path])
        }
        schema = object
    }

    /// Validates a JSON document.
    /// - Returns: the problems found (`$.datasets[0].cells[1].seed: expected integer, found string`), empty when valid.
    /// - Throws: when `json` is not JSON.
    public func validate(_ json: Data) throws -> [String] {
        let value = try JSONSerialization.jsonObject(with: json, options: [.fragmentsAllowed])
        var problems: [String] = []
        check(value, against: schema, path: "$", problems: &problems)
        return problems
    }

    private func resolve(_ node: [String: Any]) -> [String: Any] {
        guard let ref = node["$ref"] as? String, ref.hasPrefix("#/$defs/") else { return node }
        let name = String(ref.dropFirst("#/$defs/".count))
        return (schema["$defs"] as? [String: Any])?[name] as? [String: Any] ?? [:]
    }

    private func typeName(_ value: Any) -> String {
        if value is NSNull { return "null" }
        if let number = value as? NSNumber {
            if String(describing: type(of: value)).contains("Boolean") { return "boolean" }
            let d = number.doubleValue
            return d.rounded() == d ? "integer" : "number"
        }
        if value is String { return "string" }
        if value is [Any] { return "array" }
        if value is [String: Any] { return "object" }
        return "unknown"
    }

    private func check(_ value: Any, against raw: [String: Any], path: String, problems: inout [String]) {
        let node = resolve(raw)
        if let type = node["type"] {
            let allowed = (type as? [String]) ?? [(type as? String) ?? ""]
            let actual = typeName(value)
            let ok = allowed.contains(actual) || (actual == "integer" && allowed.contains("number"))
            guard ok else {
                problems.append("\(path): expected \(allowed.joined(separator: " or ")), found \(actual)")
                return
            }
        }
        if let options = node["enum"] as? [Any] {
            let text = "\(value)"
            if !options.contains(where: { "\($0)" == text }) { problems.append("\(path): '\(text)' is not one of \(options)") }
        }
        if let number = value as? NSNumber, typeName(value) != "boolean" {
            if let minimum = node["minimum"] as? Double, number.doubleValue < minimum { problems.append("\(path): \(number) < minimum \(minimum)") }
            if let maximum = node["maximum"] as? Double, number.doubleValue > maximum { problems.append("\(path): \(number) > maximum \(maximum)") }
        }
        if let object = value as? [String: Any] {
            let properties = node["properties"] as? [String: Any] ?? [:]
            for key in node["required"] as? [String] ?? [] where object[key] == nil {
                problems.append("\(path): missing required '\(key)'")
            }
            for key in object.keys.sorted() {
                let child = object[key] ?? NSNull()
                if let sub = properties[key] as? [String: Any] {
                    check(child, against: sub, path: "\(path).\(key)", problems: &problems)
                } else if let additional = node["additionalProperties"] {
                    if let allowed = additional as? Bool, !allowed {
                        problems.append("\(path): unexpected key '\(key)' (not in the schema)")
                    } else if let sub = additional as? [String: Any] {
                        check(child, against: sub, path: "\(path).\(key)", problems: &problems)
                    }
                }
            }
        }
        if let array = value as? [Any], let items = node["items"] as? [String: Any] {
            for (i, element) in array.enumerated() { check(element, against: items, path: "\(path)[\(i)]", problems: &problems) }
        }
    }
}
