/// Why a preprocessing fit, transform or inverse transform was refused.
public enum PreprocessingError: Error, Equatable, CustomStringConvertible {
    /// The table has columns but no rows.
    case emptyTable
    /// The table has no columns.
    case noColumns
    /// `.minMax(lower:upper:)` with `lower >= upper` (or a non-finite bound).
    case invalidMinMaxRange(lower: Float, upper: Float)
    /// Every training value of the column is missing, so nothing can be learned about it.
    case allMissing(column: String)
    /// A numeric value is infinite (NaN means missing and is imputed).
    case nonFinite(column: String, row: Int, value: Double)
    /// `log1p` was requested for a column holding a negative value.
    case negativeValueForLog(column: String, row: Int, value: Double)
    /// A column named in `.columns` / `.auto(excluding:)` does not exist or is not numeric.
    case unknownLogColumn(String)
    /// A fitted column is absent from the table to transform.
    case missingColumn(String)
    /// The table to transform has columns the preprocessor was not fitted on.
    case unexpectedColumns([String])
    /// A column is categorical in one table and numeric in the other.
    case columnKindMismatch(column: String, fitted: String, found: String)
    /// The matrix to map back has the wrong number of columns.
    case widthMismatch(expected: Int, found: Int)
    /// A matrix value to map back is NaN or infinite.
    case nonFiniteOutput(row: Int, column: String, value: Float)
    /// Labels and feature rows differ in number.
    case labelCountMismatch(rows: Int, labels: Int)

    /// A message naming the column, row or parameter, the bad value and what was expected.
    public var description: String {
        switch self {
        case .emptyTable: return "cannot fit preprocessing on a table with 0 rows"
        case .noColumns: return "cannot fit preprocessing on a table with no columns"
        case let .invalidMinMaxRange(lower, upper):
            return "scaling .minMax(lower: \(lower), upper: \(upper)): expected finite bounds with lower < upper"
        case let .allMissing(column): return "column '\(column)': every training value is missing"
        case let .nonFinite(column, row, value):
            return "column '\(column)', row \(row): value \(value) is not finite (expected a finite number or NaN for missing)"
        case let .negativeValueForLog(column, row, value):
            return "column '\(column)', row \(row): value \(value) is negative, log1p needs values >= 0"
        case let .unknownLogColumn(name):
            return "log transform names column '\(name)', which is not a numeric column of the table"
        case let .missingColumn(name): return "column '\(name)' was fitted but is missing from the table"
        case let .unexpectedColumns(names):
            return "columns \(names.map { "'\($0)'" }.joined(separator: ", ")) were not seen when fitting (drop them first)"
        case let .columnKindMismatch(column, fitted, found):
            return "column '\(column)' was fitted as \(fitted) but is \(found) here"
        case let .widthMismatch(expected, found):
            return "matrix has \(found) columns, expected the preprocessor's output width \(expected)"
        case let .nonFiniteOutput(row, column, value):
            return "row \(row), output column '\(column)': value \(value) is not finite"
        case let .labelCountMismatch(rows, labels):
            return "label count \(labels) does not match the \(rows) feature rows"
        }
    }
}
