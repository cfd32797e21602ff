/// Why a real/synthetic pair cannot be compared. Every message names the file, and where it
/// applies the column, line and value.
public enum FidelityError: Error, Equatable, CustomStringConvertible {
    /// A feature column of the real file is absent from the synthetic file.
    case missingColumn(file: String, column: String, realFile: String)
    /// The synthetic file has a feature column the real file does not.
    case extraColumn(file: String, column: String, realFile: String)
    /// A column is numeric in the real file but holds text in the synthetic file.
    case columnKind(file: String, column: String, line: Int, value: String)
    /// A class of the synthetic file does not occur in the real file.
    case unknownClass(file: String, className: String, known: [String])
    /// `--classes` names a class the real file does not have (a usage error).
    case unknownRequestedClass(String, known: [String])
    /// The marker column holds something other than 0/1 (or true/false).
    case badMarker(file: String, column: String, line: Int, value: String)
    /// No synthetic row is left to compare (all rows marked real, or none of the requested classes).
    case noSyntheticRows(file: String, detail: String)
    /// The real file has no rows.
    case emptyReal(file: String)

    /// Whether the problem is how the command was called (exit status 64) rather than the data (65).
    public var isUsageError: Bool {
        if case .unknownRequestedClass = self { return true }
        return false
    }

    public var description: String {
        switch self {
        case let .missingColumn(file, column, realFile):
            return "\(file): there is no column '\(column)', which \(realFile) has; both files must have the same feature columns"
        case let .extraColumn(file, column, realFile):
            return "\(file): column '\(column)' is not a feature column of \(realFile); both files must have the same feature columns "
                + "(drop it with --drop, or name it with --marker if it marks synthetic rows)"
        case let .columnKind(file, column, line, value):
            return "\(file), line \(line), column '\(column)': '\(value)' is not a number; the column is numeric in the real file"
        case let .unknownClass(file, className, known):
            return "\(file): class '\(className)' does not occur in the real file (its classes: \(known.joined(separator: ", ")))"
        case let .unknownRequestedClass(name, known):
            return "--classes: '\(name)' is not a class of the real file (its classes: \(known.joined(separator: ", ")))"
        case let .badMarker(file, column, line, value):
            return "\(file), line \(line), column '\(column)': '\(value)' is not a synthetic-row marker (expected 1 or 0, true or false)"
        case let .noSyntheticRows(file, detail):
            return "\(file): no synthetic rows to compare: \(detail)"
        case let .emptyReal(file):
            return "\(file): the real file has no rows"
        }
    }
}
