import BallastData
import BallastEval
import Foundation

/// A value of one field of a submitted record, as it arrived.
enum FieldValue: Sendable, Equatable {
    case text(String)
    case number(Double)
    case missing
    /// A JSON value of another type (object, array, bool), named for the message.
    case other(String)

    /// A value decoded from JSON.
    init(json: JSONValue) {
        switch json {
        case .null: self = .missing
        case .bool: self = .other("a boolean")
        case .number(let n): self = .number(n)
        case .string(let s): self = .text(s)
        case .array: self = .other("an array")
        case .object: self = .other("an object")
        }
    }
}

/// A field of a submitted record that cannot be used, with the reason.
public struct FieldError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The field (`records[2].duration` in the API, the column name in the form).
    public var field: String
    /// What is wrong and what was expected.
    public var message: String

    public var description: String { "\(field): \(message)" }
}

/// One input field of the model: what the form shows and what the decoder accepts.
public struct FieldSpec: Sendable {
    public var name: String
    public var kind: FittedColumn.Kind
    public var categories: [String]
    public var observedMin: Double
    public var observedMax: Double
    public var logTransformed: Bool
}

/// Turns submitted records (raw feature values keyed by column name) into the table a
/// ``ModelBundle`` predicts from, checking every field against the bundle's fitted schema.
public struct RecordDecoder: Sendable {
    /// The fields, in the bundle's column order.
    public let fields: [FieldSpec]
    /// The fields' names, for spotting unknown ones.
    private let names: Set<String>
    /// Per field, its categories' codes (empty for numeric fields).
    private let categoryCodes: [[String: Int32]]

    /// The decoder for a bundle's preprocessing.
    public init(bundle: ModelBundle) {
        fields = bundle.preprocessor.columns.map {
            FieldSpec(name: $0.name, kind: $0.kind, categories: $0.categories, observedMin: $0.observedMin,
                      observedMax: $0.observedMax, logTransformed: $0.logTransformed)
        }
        names = Set(fields.map(\.name))
        categoryCodes = fields.map { field in
            var index: [String: Int32] = [:]
            for (i, c) in field.categories.enumerated() where index[c] == nil { index[c] = Int32(i) }
            return index
        }
    }

    /// Decodes records.
    /// - Parameters:
    ///   - records: one dictionary per record.
    ///   - fieldName: how a field is named in errors (record index, column name).
    ///   - allowUnseen: whether a category not seen in training is accepted (mapped to the unknown bucket).
    /// - Returns: the table, or every field error found (at most 50).
    func decode(_ records: [[String: FieldValue]], fieldName: (Int, String) -> String, allowUnseen: Bool = true)
        -> Result<Table, FieldErrors> {
        var errors: [FieldError] = []
        for (r, record) in records.enumerated() where !record.keys.allSatisfy(names.contains) {
            for key in record.keys.sorted() where !names.contains(key) {
                errors.append(FieldError(field: fieldName(r, key), message: "unknown field; the model's fields are \(fields.map(\.name).joined(separator: ", "))"))
            }
        }
        var columns: [TableColumn] = []
        for (f, field) in fields.enumerated() {
            if field.kind == .categorical {
                var codes: [Int32] = [], categories = field.categories
                var index = categoryCodes[f]
                for (r, record) in records.enumerated() {
                    let value = record[field.name] ?? .missing
                    if case .text(let s) = value, let code = index[s] {
                        codes.append(code)
                        continue
                    }
                    switch value {
                    case .text(let s) where !s.isEmpty && allowUnseen:
                        index[s] = Int32(categories.count)
                        codes.append(Int32(categories.count))
                        categories.append(s)
                    case .text(let s) where !s.isEmpty:
                        errors.append(FieldError(field: fieldName(r, field.name), message: "'\(s.prefix(40))' is not one of \(field.categories.joined(separator: ", "))"))
                        codes.append(-1)
                    case .missing, .text:
                        errors.append(FieldError(field: fieldName(r, field.name), message: "missing; expected one of \(field.categories.joined(separator: ", "))"))
                        codes.append(-1)
                    case .number(let n):
                        errors.append(FieldError(field: fieldName(r, field.name), message: "expected a category (text) such as '\(field.categories.first ?? "")', found the number \(CSVWriter.number(n))"))
                        codes.append(-1)
                    case .other(let what):
                        errors.append(FieldError(field: fieldName(r, field.name), message: "expected a category (text), found \(what)"))
                        codes.append(-1)
                    }
                }
                columns.append(TableColumn(name: field.name, values: .categorical(codes: codes, categories: categories)))
            } else {
                var values: [Double] = []
                values.reserveCapacity(records.count)
                for (r, record) in records.enumerated() {
                    switch Self.number(record[field.name] ?? .missing, field) {
                    case .success(let v): values.append(v)
                    case .failure(let message):
                        errors.append(FieldError(field: fieldName(r, field.name), message: message.text))
                        values.append(.nan)
                    }
                }
                columns.append(TableColumn(name: field.name, values: .numeric(values)))
            }
            if errors.count >= 50 { break }
        }
        if !errors.isEmpty { return .failure(FieldErrors(errors: Array(errors.prefix(50)))) }
        return .success(Table(columns: columns))
    }

    /// A numeric field's value, or the message saying why it is refused.
    static func number(_ value: FieldValue, _ field: FieldSpec) -> Result<Double, FieldErrorMessage> {
        let v: Double
        switch value {
        case .number(let n): v = n
        case .text(let s):
            let trimmed = s.trimmingCharacters(in: .whitespaces)
            guard !trimmed.isEmpty else { return .failure(FieldErrorMessage("missing; expected a number\(range(field))")) }
            guard let parsed = Double(trimmed) else { return .failure(FieldErrorMessage("'\(s.prefix(40))' is not a number; expected a number\(range(field))")) }
            v = parsed
        case .missing: return .failure(FieldErrorMessage("missing; expected a number\(range(field))"))
        case .other(let what): return .failure(FieldErrorMessage("expected a number, found \(what)"))
        }
        guard v.isFinite else { return .failure(FieldErrorMessage("\(v) is not a finite number")) }
        switch field.kind {
        case .binary where v != 0 && v != 1: return .failure(FieldErrorMessage("\(CSVWriter.number(v)) is not 0 or 1"))
        case .integer where v.rounded() != v: return .failure(FieldErrorMessage("\(CSVWriter.number(v)) is not a whole number"))
        default: break
        }
        if field.logTransformed && v < 0 {
            return .failure(FieldErrorMessage("\(CSVWriter.number(v)) is out of range; expected a value ≥ 0\(range(field))"))
        }
        return .success(v)
    }

    static func range(_ field: FieldSpec) -> String {
        " (training range \(CSVWriter.number(field.observedMin))…\(CSVWriter.number(field.observedMax)))"
    }
}

/// A message for one field, as a typed failure.
struct FieldErrorMessage: Error, Sendable { var text: String; init(_ text: String) { self.text = text } }

/// Every field error of a submission.
public struct FieldErrors: Error, Sendable, Equatable, CustomStringConvertible {
    public var errors: [FieldError]
    public var description: String { errors.map(\.description).joined(separator: "; ") }
}
