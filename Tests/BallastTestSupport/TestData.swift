import BallastCore

/// Small seeded data for unit tests.
public enum TestData {
    /// A `rows × columns` matrix of seeded standard-normal values.
    public static func normalMatrix(rows: Int, columns: Int, seed: UInt64) -> Matrix {
        var rng = Xoshiro256StarStar(seed: seed)
        return Matrix(rows: rows, columns: columns) { _, _ in Float(rng.nextNormal()) }
    }
}
