import BallastCore
import BallastTestSupport
import Foundation
import Testing

@Suite("Sorted-sample statistics: radix order, ranks, Pearson, PCA")
struct SortedStatisticsTests {
    @Test("Radix order is the stable ascending order, NaN last, for negatives, zeros and repeats", arguments: [1, 2, 3])
    func radixOrder(seed: UInt64) {
        var rng = Xoshiro256StarStar(seed: seed)
        let values: [Double] = (0..<3000).map { i in
            switch i % 7 {
            case 0: return .nan
            case 1: return -0.0
            case 2: return 0
            case 3: return Double(rng.nextInt(below: 20)) - 10
            case 4: return -.infinity
            default: return rng.nextNormal() * 1e6
            }
        }
        let order = values.withUnsafeBufferPointer { RadixSort.order($0) }
        let expected = values.indices.sorted { a, b in
            let x = values[a], y = values[b]
            if x.isNaN || y.isNaN { return !x.isNaN && y.isNaN || (x.isNaN && y.isNaN && a < b) }
            return x < y || (x == y && (x.sign == y.sign ? a < b : x.sign == .minus))
        }
        #expect(order.map(Int.init) == expected)
        #expect(values.withUnsafeBufferPointer { RadixSort.order($0) } == order)
    }

    @Test("Average ranks equal scipy's rankdata (golden), NaN unranked")
    func ranks() {
        let values: [Double] = [3, 1, 4, 1, 5, 9, 2, 6, 5, 3, .nan]
        let ranks = values.withUnsafeBufferPointer { Distribution.averageRanks($0, order: RadixSort.order($0)) }
        // scipy.stats.rankdata([3, 1, 4, 1, 5, 9, 2, 6, 5, 3])
        #expect(Array(ranks.dropLast()) == [4.5, 1.5, 6, 1.5, 7.5, 10, 3, 9, 7.5, 4.5])
        #expect(ranks.last?.isNaN == true)
    }

    @Test("Pearson matches scipy (golden), skips pairs with NaN, is NaN for a constant sample")
    func pearson() {
        let x: [Double] = [2, 1, 4, 3, 6, 5, .nan], y: [Double] = [1, 3, 2, 5, 4, 6, 100]
        let r = x.withUnsafeBufferPointer { a in y.withUnsafeBufferPointer { Distribution.pearson(a, $0) } }
        #expect(abs(r - 0.4857142857142856) < 1e-12)  // scipy.stats.pearsonr on the first six pairs
        let constant: [Double] = [1, 1, 1]
        #expect(constant.withUnsafeBufferPointer { Distribution.pearson($0, $0) }.isNaN)
    }

    @Test("Sorted KS, Wasserstein and the empirical CDF equal the unsorted entry points")
    func sortedVariants() throws {
        let a: [Double] = [0.1, 0.5, 0.9, 1.3, 2.2, 2.8, 3.1, 4.0], b: [Double] = [0.3, 1.1, 1.9, 2.5, 3.3, 4.4, 5.0, 5.5, 6.1]
        let ks = try #require(Distribution.kolmogorovSmirnov(sorted: a, b))
        #expect(abs(ks.statistic - 0.4444444444444444) < 1e-12)
        let w = a.withUnsafeBufferPointer { x in b.withUnsafeBufferPointer { Distribution.wasserstein(sorted: x, $0) } }
        #expect(abs(try #require(w) - 1.4819444444444443) < 1e-12)
        #expect(a.withUnsafeBufferPointer { Distribution.empiricalCDF(sorted: $0, at: 2.2) } == 5.0 / 8)
        #expect(a.withUnsafeBufferPointer { Distribution.upperBound($0, 0.05) } == 0)
        #expect(a.withUnsafeBufferPointer { Distribution.upperBound($0, 2.2) } == 5)
        #expect(a.withUnsafeBufferPointer { Distribution.upperBound($0, 9) } == 8)
    }

    @Test("PCA finds the direction of largest variance, with a fixed sign, and projects onto it")
    func pca() throws {
        var rng = Xoshiro256StarStar(seed: 7)
        // Points along (3, 4)/5 with spread 10, plus small noise across.
        let m = Matrix(rows: 500, columns: 2) { _, _ in 0 }
        var data = m
        data.withUnsafeMutableBufferPointer { x in
            for r in 0..<500 {
                let t = rng.nextNormal() * 10, e = rng.nextNormal() * 0.5
                x[r * 2] = Float(3 * t / 5 - 4 * e / 5 + 1)
                x[r * 2 + 1] = Float(4 * t / 5 + 3 * e / 5 - 2)
            }
        }
        let p = try #require(PrincipalComponents(fitting: data, components: 2))
        #expect(abs(p.axes[0][0] - 0.6) < 0.01 && abs(p.axes[0][1] - 0.8) < 0.01)
        #expect(p.variances[0] > 50 * p.variances[1])
        let projected = p.project(data)
        #expect(projected.count == 1000)
        #expect(abs(projected.enumerated().filter { $0.offset % 2 == 0 }.map(\.element).reduce(0, +) / 500) < 1e-6)
        #expect(PrincipalComponents(fitting: Matrix(rows: 1, columns: 3)) == nil)
    }
}
