import BallastCore
import BallastTestSupport
import Foundation
import Testing

@Suite("Statistics")
struct StatisticsTests {
    // Golden values from scipy 1.17 / numpy 2.4:
    //   st.ks_2samp(a, b).statistic, st.kstwobign.sf(sqrt(n1 n2 / (n1 + n2)) * D),
    //   st.wasserstein_distance(a, b), np.quantile(a, 0.3), np.corrcoef(a, b[:8])[0, 1]
    let a: [Double] = [0.1, 0.5, 0.9, 1.3, 2.2, 2.8, 3.1, 4.0]
    let b: [Double] = [0.3, 1.1, 1.9, 2.5, 3.3, 4.4, 5.0, 5.5, 6.1]

    @Test("Kolmogorov–Smirnov statistic and asymptotic p-value match scipy")
    func ks() throws {
        let r = try #require(Distribution.kolmogorovSmirnov(a, b))
        #expect(abs(r.statistic - 0.4444444444444444) < 1e-12)
        #expect(abs(r.pValue - 0.3728112843797194) < 1e-9)
        #expect(Distribution.kolmogorovSmirnov([Double](), b) == nil)
        let same = try #require(Distribution.kolmogorovSmirnov(a, a))
        #expect(same.statistic == 0 && same.pValue == 1)
    }

    @Test("Wasserstein distance, quantile and correlation match scipy/numpy")
    func golden() throws {
        #expect(abs(try #require(Distribution.wasserstein(a, b)) - 1.4819444444444443) < 1e-12)
        #expect(abs(try #require(Distribution.quantile(a, 0.3)) - 0.94) < 1e-12)
        let m = Matrix(rows: 8, columns: 2) { r, c in Float(c == 0 ? a[r] : b[r]) }
        let corr = m.correlationMatrix()
        #expect(abs(corr[0][1] - 0.9895461609488844) < 1e-6)
        #expect(corr[1][0] == corr[0][1] && corr[0][0] == 1)
    }

    @Test("A constant column has undefined (NaN) correlation, 1 on the diagonal")
    func constantColumn() {
        let m = Matrix([[1, 5], [2, 5], [3, 5]])
        let c = m.correlationMatrix()
        #expect(c[0][1].isNaN && c[1][1] == 1)
    }

    @Test("Welford statistics merge to the one-pass result and skip NaN")
    func running() {
        let values = (0..<1000).map { Double($0 % 37) * 0.5 }
        var whole = RunningStatistics(values)
        var left = RunningStatistics(values[..<400])
        left.merge(RunningStatistics(values[400...]))
        #expect(abs(whole.mean - left.mean) < 1e-12)
        #expect(abs(whole.sampleVariance - left.sampleVariance) < 1e-9)
        #expect(whole.minimum == 0 && whole.maximum == 18)
        whole.add(.nan)
        #expect(whole.count == 1000)
    }

    @Test("Histogram bins include the upper edge and count outliers separately")
    func histogram() {
        var h = Histogram(bins: 4, lower: 0, upper: 4)
        for v in [0.0, 0.5, 1, 3.99, 4, 5, -1, .nan] { h.add(v) }
        #expect(h.counts == [2, 1, 0, 2])
        #expect(h.outside == 3)
        #expect(h.edges == [0, 1, 2, 3, 4])
    }
}

@Suite("k-means")
struct KMeansTests {
    /// Three tight blobs far apart, 50 points each.
    func blobs(seed: UInt64) -> Matrix {
        var rng = Xoshiro256StarStar(seed: seed)
        let centres: [[Float]] = [[0, 0], [10, 10], [-10, 10]]
        return Matrix(rows: 150, columns: 2) { r, c in centres[r / 50][c] + Float(rng.nextNormal()) * 0.3 }
    }

    @Test("Recovers well-separated blobs; same seed, same model")
    func blobsRecovered() throws {
        let data = blobs(seed: 1)
        var rng = Xoshiro256StarStar(seed: 2)
        let model = try KMeans(clusterCount: 3).fit(data, using: &rng)
        for blob in 0..<3 {
            let labels = Set(model.assignments[(blob * 50)..<((blob + 1) * 50)])
            #expect(labels.count == 1)
        }
        #expect(Set(model.assignments).count == 3)
        #expect(model.clusterSizes == [50, 50, 50].sorted() || model.clusterSizes.sorted() == [50, 50, 50])
        var again = Xoshiro256StarStar(seed: 2)
        #expect(try KMeans(clusterCount: 3).fit(data, using: &again) == model)
        #expect(try model.predict(Matrix([[9.5, 10.2]])) == [model.assignments[60]])
    }

    @Test("k = 1 gives the mean; random initialisation also converges")
    func singleCluster() throws {
        let data = Matrix([[0, 0], [2, 0], [4, 6]])
        var rng = Xoshiro256StarStar(seed: 3)
        let model = try KMeans(clusterCount: 1).fit(data, using: &rng)
        #expect(abs(model.centroids[0, 0] - 2) < 1e-6 && abs(model.centroids[0, 1] - 2) < 1e-6)
        // Random seeding may settle in a local optimum, but the result is a Lloyd fixed point: every
        // point is assigned to its nearest centre.
        let points = blobs(seed: 4)
        let random = try KMeans(clusterCount: 3, initialization: .random).fit(points, using: &rng)
        for r in 0..<points.rows {
            let d = (0..<3).map { c in (0..<2).reduce(Float(0)) { $0 + pow(points[r, $1] - random.centroids[c, $1], 2) } }
            #expect(d[random.assignments[r]] <= d.min()! + 1e-4)
        }
    }

    @Test("Fewer distinct points than clusters does not crash; empty clusters are reported")
    func duplicates() throws {
        let data = Matrix([[1, 1], [1, 1], [1, 1], [2, 2]])
        var rng = Xoshiro256StarStar(seed: 5)
        let model = try KMeans(clusterCount: 3).fit(data, using: &rng)
        #expect(model.clusterSizes.reduce(0, +) == 4)
        #expect(model.inertia < 1e-9)
    }

    @Test("Invalid requests throw errors naming the numbers")
    func errors() {
        var rng = Xoshiro256StarStar(seed: 6)
        let data = Matrix([[0, 0], [1, 1]])
        #expect(throws: KMeansError.tooManyClusters(clusters: 3, rows: 2)) { try KMeans(clusterCount: 3).fit(data, using: &rng) }
        #expect(throws: KMeansError.emptyData) { try KMeans(clusterCount: 1).fit(Matrix(rows: 0, columns: 2), using: &rng) }
        #expect(throws: KMeansError.self) { try KMeans(clusterCount: 0).fit(data, using: &rng) }
        var bad = data
        bad[1, 0] = .infinity
        #expect(throws: KMeansError.nonFinite(row: 1, column: 0)) { try KMeans(clusterCount: 1).fit(bad, using: &rng) }
    }
}

/// SHA-256 against the FIPS 180-4 examples.
@Suite("SHA-256")
struct SHA256Tests {
    static func bytes(_ hex: String) -> [UInt8] {
        let digits = Array(hex.utf8)
        return stride(from: 0, to: digits.count, by: 2).map { UInt8(String(decoding: digits[$0...$0 + 1], as: UTF8.self), radix: 16)! }
    }

    @Test("known digests, including a message spanning blocks and fed in pieces")
    func digests() {
        #expect(SHA256.hex(Array("abc".utf8)) == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
        #expect(SHA256.hex([UInt8]()) == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")
        let long = Array("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq".utf8)
        #expect(SHA256.hex(long) == "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1")
        var h = SHA256()
        h.update(long.prefix(10))
        h.update(long.dropFirst(10))
        #expect(h.finalize() == Self.bytes("248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1"))
        // FIPS 180-2's million-'a' vector, one-shot and fed in uneven pieces across block edges.
        let million = Array(repeating: UInt8(ascii: "a"), count: 1_000_000)
        let expected = "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0"
        #expect(SHA256.hex(million) == expected)
        var pieces = SHA256()
        var offset = 0
        for size in [1, 63, 64, 65, 127, 3, 1000].cycled(until: 10_000) {
            let end = min(million.count, offset + size)
            pieces.update(million[offset..<end])
            offset = end
            if offset == million.count { break }
        }
        #expect(pieces.finalize() == Self.bytes(expected))
        // A non-contiguous collection goes through the copying path.
        #expect(SHA256.hex(Array("abc".utf8).lazy.map { $0 }) == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
    }
}

private extension Array {
    /// The elements repeated until at least `total` have been produced in all (for uneven piece sizes).
    func cycled(until total: Int) -> [Element] {
        var out: [Element] = []
        while out.count < total { out.append(contentsOf: self) }
        return out
    }
}
