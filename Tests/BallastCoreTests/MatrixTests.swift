import BallastCore
import Testing

/// Golden tests of the element-wise kernels and reductions in `Matrix+Arithmetic.swift`.
///
/// Shapes such as 3×11 and 5×19 exercise both the eight-wide SIMD body and the remainder lanes;
/// values are small integers or halves, so the expected results are exact.
@Suite("Matrix arithmetic")
struct MatrixTests {
    /// `value(r, c) = r * 10 + c - 7`: distinct, signed, exactly representable.
    static func ramp(_ rows: Int, _ columns: Int) -> Matrix {
        Matrix(rows: rows, columns: columns) { r, c in Float(r * 10 + c - 7) }
    }

    @Test("+, - and the Hadamard product are element-wise, including the remainder lanes")
    func elementWise() {
        let a = Self.ramp(3, 11)
        let b = Matrix(rows: 3, columns: 11) { r, c in Float(c - r) / 2 }
        let sum = a + b, diff = a - b, product = a.multiplied(by: b)
        for r in 0..<3 {
            for c in 0..<11 {
                let x = Float(r * 10 + c - 7), y = Float(c - r) / 2
                #expect(sum[r, c] == x + y)
                #expect(diff[r, c] == x - y)
                #expect(product[r, c] == x * y)
            }
        }
        #expect(Matrix([[1, 2], [3, 4]]) + Matrix([[10, 20], [30, 40]]) == Matrix([[11, 22], [33, 44]]))
        #expect(Matrix([[1, 2], [3, 4]]).multiplied(by: Matrix([[2, 0], [-1, 0.5]])) == Matrix([[2, 0], [-3, 2]]))
    }

    @Test("scaled(by:) and add(_:scaled:) compute factor·x and y + factor·x")
    func scaleAndAxpy() {
        let x = Self.ramp(5, 19)
        let doubled = x.scaled(by: 2)
        #expect(doubled.storage == x.storage.map { $0 * 2 })
        var y = Matrix(rows: 5, columns: 19, repeating: 1)
        y.add(x, scaled: -0.5)
        #expect(y.storage == x.storage.map { 1 - 0.5 * $0 })
        var z = Matrix([[1, 2, 3]])
        z.add(Matrix([[4, 5, 6]]))
        #expect(z == Matrix([[5, 7, 9]]))
    }

    @Test("addRowVector adds the vector to every row")
    func broadcast() {
        var m = Self.ramp(4, 13)
        let v = (0..<13).map { Float($0) * 100 }
        m.addRowVector(v)
        for r in 0..<4 {
            for c in 0..<13 { #expect(m[r, c] == Float(r * 10 + c - 7) + Float(c) * 100) }
        }
    }

    @Test("Column sums, means, minimums and maximums match hand-computed values")
    func columnReductions() {
        let m = Matrix([[1, -2, 3], [4, 5, -6], [7, 8, 9], [-10, 0.5, 12]])
        #expect(m.columnSums() == [2, 11.5, 18])
        #expect(m.columnMeans() == [0.5, 2.875, 4.5])
        #expect(m.columnMinimums() == [-10, -2, -6])
        #expect(m.columnMaximums() == [7, 8, 12])

        let wide = Self.ramp(3, 11)  // column c holds c - 7, c + 3, c + 13
        let expectedSums: [Double] = (0..<11).map { c in Double(3 * c + 9) }
        #expect(wide.columnSums() == expectedSums)
        #expect(wide.columnMinimums() == (0..<11).map { Float($0 - 7) })
        #expect(wide.columnMaximums() == (0..<11).map { Float($0 + 13) })
    }

    @Test("Column minimums and maximums skip NaN unless the whole column is NaN")
    func extremesWithNaN() {
        var m = Self.ramp(3, 9)
        m[0, 0] = .nan
        m[1, 8] = .nan
        for r in 0..<3 { m[r, 4] = .nan }
        let mins = m.columnMinimums(), maxs = m.columnMaximums()
        #expect(mins[0] == 3 && maxs[0] == 13)
        #expect(mins[8] == 1 && maxs[8] == 21)
        #expect(mins[4].isNaN && maxs[4].isNaN)
        let empty = Matrix(rows: 0, columns: 2)
        #expect(empty.columnMinimums() == [.infinity, .infinity])
        #expect(empty.columnSums() == [0, 0])
        #expect(empty.columnMeans().allSatisfy { $0.isNaN })
    }

    @Test("rowSquaredNorms and sum match exact values on small and large matrices")
    func normsAndSum() {
        let m = Matrix([[3, 4], [1, 2], [0, 0]])
        #expect(m.rowSquaredNorms() == [25, 5, 0])
        #expect(m.sum() == 10)

        // 2000 × 37 (threaded path, 16/8/remainder lanes): row r is r, r, ..., so ‖row‖² = 37 r².
        let big = Matrix(rows: 2000, columns: 37) { r, _ in Float(r % 50) }
        let norms = big.rowSquaredNorms()
        let expectedNorms: [Float] = (0..<2000).map { r in Float(37 * (r % 50) * (r % 50)) }
        #expect(norms == expectedNorms)
        let bigTotal: Double = 37 * 40 * 1225  // 40 repetitions of 0 + 1 + ... + 49 = 1225, in 37 columns
        #expect(big.sum() == bigTotal)
        let rampTotal: Double = 2090  // 19 · 10 · (0+1+2+3+4) + 5 · Σ_{c<19} (c − 7) = 1900 + 190
        #expect(Self.ramp(5, 19).sum() == rampTotal)
    }

    @Test("Reductions are bit-identical across calls on seeded data")
    func determinism() {
        var rng = Xoshiro256StarStar(seed: 17)
        let m = Matrix(rows: 3000, columns: 41) { _, _ in rng.nextUniformFloat() * 200 - 100 }
        #expect(m.rowSquaredNorms().map(\.bitPattern) == m.rowSquaredNorms().map(\.bitPattern))
        #expect(m.sum().bitPattern == m.sum().bitPattern)
        let reference = m.storage.reduce(0.0) { $0 + Double($1) }
        let tolerance: Double = 1e-9 * 3000 * 41 * 100  // Double accumulation of Float inputs
        #expect(abs(m.sum() - reference) < tolerance)
    }
}
