import Foundation

/// Page and JSON values are built as `[String: Any]`; an `Optional` stored in `Any` would reach
/// Mustache or the JSON writer as an opaque box. These helpers unwrap optionals recursively: `nil`
/// entries are dropped from dictionaries (so `{{#key}}` is false); ``JSONValue/init(any:)`` writes
/// them as JSON null.
enum ValueCleaning {
    /// The value with optionals unwrapped; nil for an empty optional.
    static func unwrap(_ value: Any) -> Any? {
        let mirror = Mirror(reflecting: value)
        if mirror.displayStyle == .optional {
            guard let child = mirror.children.first else { return nil }
            return unwrap(child.value)
        }
        return value
    }

    /// For Mustache: nil entries removed, nested dictionaries and arrays cleaned.
    static func forTemplate(_ value: Any) -> Any? {
        guard let value = unwrap(value) else { return nil }
        if let dict = value as? [String: Any] {
            var out: [String: Any] = [:]
            for (k, v) in dict { if let c = forTemplate(v) { out[k] = c } }
            return out
        }
        if let array = value as? [Any] { return array.compactMap(forTemplate) }
        return value
    }
}
