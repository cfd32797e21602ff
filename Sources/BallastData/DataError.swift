/// A problem with an input file or dataset, with a message naming the file, line, column and the
/// value found, and what was expected.
public struct DataError: Error, Equatable, CustomStringConvertible {
    /// What went wrong.
    public enum Kind: String, Sendable, Equatable {
        /// The file does not exist.
        case fileNotFound
        /// The file exists but cannot be read.
        case unreadable
        /// A file could not be written.
        case unwritable
        /// The file has no data rows.
        case empty
        /// The file contains NUL bytes or invalid UTF-8.
        case notText
        /// A row has a different number of fields from the first row.
        case raggedRow
        /// A quoted field is never closed.
        case unterminatedQuote
        /// Text follows the closing quote of a quoted field (`"x"y`).
        case malformedQuote
        /// A named column does not exist.
        case missingColumn
        /// A NaN or infinite value where finite numbers are required.
        case nonFinite
        /// A label value that cannot be mapped to a class.
        case badLabel
        /// An invalid option value (delimiter, label mode …).
        case invalidOption
    }

    /// What went wrong.
    public let kind: Kind
    /// One sentence naming the file, line, column and value.
    public let description: String

    /// Creates an error.
    public init(_ kind: Kind, _ description: String) {
        self.kind = kind
        self.description = description
    }

    /// Whether the problem is reading or writing a file (exit status 74) rather than its content (65).
    public var isIOError: Bool { kind == .fileNotFound || kind == .unreadable || kind == .unwritable }
}
