/// A handle to a value recorded on a ``Tape``: a `rows × columns` row-major matrix.
///
/// A tensor is only meaningful on the tape that made it, until that tape's next ``Tape/reset()``.
/// It carries its shape so that layers can check and plan without asking the tape.
public struct Tensor: Hashable, Sendable {
    /// Number of rows (usually the batch size).
    public let rows: Int
    /// Number of columns (features).
    public let columns: Int
    /// Index of the node on its tape.
    let id: Int

    init(rows: Int, columns: Int, id: Int) {
        self.rows = rows
        self.columns = columns
        self.id = id
    }

    /// Number of elements, `rows × columns`.
    public var count: Int { rows * columns }
}
