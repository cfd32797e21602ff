#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// k-means clustering (Lloyd's algorithm) with k-means++ seeding.
///
/// Seeding is greedy k-means++ (Arthur & Vassilvitskii 2007) with `2 + ⌊ln k⌋` candidate centres per
/// step, as in scikit-learn. Iterations stop when the total squared centre shift falls below
/// `tolerance × mean column variance` or after `maxIterations`. A cluster that loses all its points
/// is re-seeded with the point farthest from its centre (ties by index). Distances are computed in
/// blocks with ``GEMM``, so memory is O(block × k), never O(n²). Deterministic for a seed and thread
/// count.
///
/// When the data has fewer distinct points than `clusterCount`, seeding picks duplicate points once
/// every distinct point is a centre; the surplus clusters stay empty or duplicate (reported in
/// ``KMeansModel/clusterSizes``), never a crash.
public struct KMeans: Sendable, Equatable, Codable {
    /// How initial centres are chosen.
    public enum Initialization: String, Sendable, Codable, CaseIterable {
        /// Greedy k-means++.
        case kMeansPlusPlus = "k-means++"
        /// Distinct rows drawn uniformly.
        case random
    }

    /// Number of clusters `k`.
    public var clusterCount: Int
    /// Iteration limit.
    public var maxIterations: Int
    /// Convergence tolerance, relative to the mean column variance.
    public var tolerance: Double
    /// Seeding method.
    public var initialization: Initialization

    /// Creates the hyperparameters.
    public init(clusterCount: Int = 8, maxIterations: Int = 300, tolerance: Double = 1e-4,
                initialization: Initialization = .kMeansPlusPlus) {
        self.clusterCount = clusterCount
        self.maxIterations = maxIterations
        self.tolerance = tolerance
        self.initialization = initialization
    }

    /// Clusters the rows of `data`.
    /// - Parameters:
    ///   - data: one point per row.
    ///   - rng: the only source of randomness.
    /// - Throws: ``KMeansError`` for `clusterCount < 1`, more clusters than rows, empty data,
    ///   non-finite values or invalid iteration settings.
    public func fit(_ data: Matrix, using rng: inout some RandomNumberGenerator) throws -> KMeansModel {
        guard clusterCount >= 1 else { throw KMeansError.invalidParameter(name: "clusterCount", value: "\(clusterCount)", expected: "at least 1") }
        guard maxIterations >= 1 else { throw KMeansError.invalidParameter(name: "maxIterations", value: "\(maxIterations)", expected: "at least 1") }
        guard tolerance >= 0, tolerance.isFinite else { throw KMeansError.invalidParameter(name: "tolerance", value: "\(tolerance)", expected: "a finite value ≥ 0") }
        guard data.rows > 0 else { throw KMeansError.emptyData }
        guard clusterCount <= data.rows else { throw KMeansError.tooManyClusters(clusters: clusterCount, rows: data.rows) }
        if let (r, c) = data.firstNonFinite() { throw KMeansError.nonFinite(row: r, column: c) }

        let n = data.rows, d = data.columns, k = clusterCount
        let norms = data.rowSquaredNorms()
        var centroids = initialization == .random
            ? data.gatherRows(rng.sampleWithoutReplacement(from: n, count: k))
            : plusPlus(data, norms: norms, using: &rng)
        let threshold = tolerance * data.columnVariances().reduce(0, +) / Double(max(d, 1))
        var assignment = KMeansAssignment(labels: [], distances: [])
        var iterations = 0
        while iterations < maxIterations {
            iterations += 1
            assignment = KMeansAssignment.assign(data, norms: norms, centroids: centroids)
            var updated = Self.means(data, labels: assignment.labels, k: k, fallback: centroids)
            Self.reseedEmpty(&updated, data: data, assignment: assignment)
            let shift = zip(updated.storage, centroids.storage).reduce(0.0) { $0 + Double(($1.0 - $1.1) * ($1.0 - $1.1)) }
            centroids = updated
            if shift <= threshold { break }
        }
        assignment = KMeansAssignment.assign(data, norms: norms, centroids: centroids)
        var sizes = Array(repeating: 0, count: k)
        for l in assignment.labels { sizes[l] += 1 }
        return KMeansModel(centroids: centroids, assignments: assignment.labels,
                           inertia: assignment.distances.reduce(0) { $0 + Double($1) },
                           iterations: iterations, clusterSizes: sizes)
    }

    /// Greedy k-means++ seeding.
    private func plusPlus(_ data: Matrix, norms: [Float], using rng: inout some RandomNumberGenerator) -> Matrix {
        let n = data.rows, k = clusterCount
        let trials = 2 + Int(log(Double(k)))
        var chosen = [rng.nextInt(below: n)]
        var closest = KMeansAssignment.squaredDistances(data, norms: norms, to: data.gatherRows(chosen))
        var potential = closest.reduce(0.0) { $0 + Double($1) }
        while chosen.count < k {
            var candidates: [Int] = []
            if potential > 0 {
                var cumulative = [Double](repeating: 0, count: n)
                var acc = 0.0
                for i in 0..<n { acc += Double(closest[i]); cumulative[i] = acc }
                for _ in 0..<trials {
                    let target = rng.nextUniform() * acc
                    var lo = 0, hi = n - 1
                    while lo < hi { let mid = (lo + hi) / 2; if cumulative[mid] <= target { lo = mid + 1 } else { hi = mid } }
                    candidates.append(lo)
                }
            } else {
                candidates = [rng.nextInt(below: n)]  // every point is already a centre
            }
            let toCandidates = KMeansAssignment.squaredDistances(data, norms: norms, to: data.gatherRows(candidates))
            let t = candidates.count
            var best = 0, bestPotential = Double.infinity
            for c in 0..<t {
                var pot = 0.0
                for i in 0..<n { pot += Double(min(closest[i], toCandidates[i * t + c])) }
                if pot < bestPotential { bestPotential = pot; best = c }
            }
            for i in 0..<n { closest[i] = min(closest[i], toCandidates[i * t + best]) }
            chosen.append(candidates[best])
            potential = bestPotential
        }
        return data.gatherRows(chosen)
    }

    /// Cluster means accumulated in Double; a cluster without points keeps its `fallback` centre.
    private static func means(_ data: Matrix, labels: [Int], k: Int, fallback: Matrix) -> Matrix {
        let d = data.columns
        let partials = data.withUnsafeBufferPointer { buf -> [([Double], [Int])] in
            let x = SendableReadBuffer(buf)
            return Parallel.mapChunks(0..<data.rows, minimumChunk: 4096) { rows in
                var sums = [Double](repeating: 0, count: k * d)
                var counts = [Int](repeating: 0, count: k)
                sums.withUnsafeMutableBufferPointer { sumBuffer in
                    let xr = UnsafeRawPointer(x.baseAddress!)
                    let sr = UnsafeMutableRawPointer(sumBuffer.baseAddress!)
                    for r in rows {
                        let c = labels[r]
                        counts[c] += 1
                        var j = 0
                        while j + 8 <= d {
                            let v = SIMD8<Double>(xr.loadUnaligned(fromByteOffset: (r * d + j) * 4, as: SIMD8<Float>.self))
                            let offset = (c * d + j) * 8
                            sr.storeBytes(of: sr.loadUnaligned(fromByteOffset: offset, as: SIMD8<Double>.self) + v,
                                          toByteOffset: offset, as: SIMD8<Double>.self)
                            j += 8
                        }
                        while j < d { sumBuffer[c * d + j] += Double(x.buffer[r * d + j]); j += 1 }
                    }
                }
                return (sums, counts)
            }
        }
        var out = fallback
        var sums = [Double](repeating: 0, count: k * d)
        var counts = [Int](repeating: 0, count: k)
        for (s, c) in partials {
            for i in 0..<(k * d) { sums[i] += s[i] }
            for i in 0..<k { counts[i] += c[i] }
        }
        for c in 0..<k where counts[c] > 0 {
            for j in 0..<d { out[c, j] = Float(sums[c * d + j] / Double(counts[c])) }
        }
        return out
    }

    /// Gives each empty cluster the point farthest from its own centre (ties by index), distinct
    /// points for distinct clusters.
    private static func reseedEmpty(_ centroids: inout Matrix, data: Matrix, assignment: KMeansAssignment) {
        var sizes = Array(repeating: 0, count: centroids.rows)
        for l in assignment.labels { sizes[l] += 1 }
        let empty = sizes.indices.filter { sizes[$0] == 0 }
        guard !empty.isEmpty else { return }
        let order = assignment.distances.indices.sorted {
            assignment.distances[$0] != assignment.distances[$1] ? assignment.distances[$0] > assignment.distances[$1] : $0 < $1
        }
        for (cluster, row) in zip(empty, order) {
            for j in 0..<data.columns { centroids[cluster, j] = data[row, j] }
        }
    }
}

/// A fitted clustering.
public struct KMeansModel: Sendable, Equatable, Codable {
    /// Cluster centres, one per row.
    public let centroids: Matrix
    /// The cluster of each training row.
    public let assignments: [Int]
    /// Sum of squared distances of the training rows to their centres.
    public let inertia: Double
    /// Lloyd iterations run.
    public let iterations: Int
    /// Training rows per cluster.
    public let clusterSizes: [Int]

    /// The nearest centre of each row of `data` (ties by lower cluster index).
    /// - Throws: ``KMeansError/columnMismatch(expected:found:)`` or ``KMeansError/nonFinite(row:column:)``.
    public func predict(_ data: Matrix) throws -> [Int] {
        guard data.columns == centroids.columns || data.rows == 0 else {
            throw KMeansError.columnMismatch(expected: centroids.columns, found: data.columns)
        }
        if let (r, c) = data.firstNonFinite() { throw KMeansError.nonFinite(row: r, column: c) }
        return KMeansAssignment.assign(data, norms: data.rowSquaredNorms(), centroids: centroids).labels
    }
}

/// Nearest-centre assignment in blocks of rows.
struct KMeansAssignment {
    var labels: [Int]
    var distances: [Float]

    static let block = 8192

    static func assign(_ data: Matrix, norms: [Float], centroids: Matrix) -> KMeansAssignment {
        let n = data.rows, k = centroids.rows, d = data.columns
        var labels = [Int](repeating: 0, count: n)
        var distances = [Float](repeating: 0, count: n)
        let centreNorms = centroids.rowSquaredNorms()
        var tile = [Float](repeating: 0, count: min(block, n) * k)
        data.withUnsafeBufferPointer { x in
            centroids.withUnsafeBufferPointer { c in
                tile.withUnsafeMutableBufferPointer { t in
                    labels.withUnsafeMutableBufferPointer { lp in
                        distances.withUnsafeMutableBufferPointer { dp in
                            let tOut = SendableBuffer(t), lOut = SendableBuffer(lp), dOut = SendableBuffer(dp)
                            var r0 = 0
                            while r0 < n {
                                let rows = min(block, n - r0)
                                if d > 0 {
                                    GEMM.multiply(transposeA: .none, transposeB: .transposed, m: rows, n: k, k: d, alpha: -2,
                                                  a: x.baseAddress! + r0 * d, lda: d, b: c.baseAddress!, ldb: d, beta: 0,
                                                  c: t.baseAddress!, ldc: k, backend: .automatic)
                                } else {
                                    t.update(repeating: 0)
                                }
                                let start = r0
                                Parallel.forEachChunk(0..<rows, minimumChunk: 1024) { part in
                                    for i in part {
                                        var best = 0
                                        var bestValue = Float.infinity
                                        for j in 0..<k {
                                            let v = tOut.buffer[i * k + j] + centreNorms[j]
                                            if v < bestValue { bestValue = v; best = j }
                                        }
                                        lOut.buffer[start + i] = best
                                        dOut.buffer[start + i] = max(0, bestValue + norms[start + i])
                                    }
                                }
                                r0 += rows
                            }
                        }
                    }
                }
            }
        }
        return KMeansAssignment(labels: labels, distances: distances)
    }

    /// Squared distances of every row to each of a few `centres`, row-major (`rows × centres`).
    ///
    /// Direct SIMD dot products: for a handful of centres this avoids packing the whole data matrix
    /// as a GEMM would, once per k-means++ step.
    static func squaredDistances(_ data: Matrix, norms: [Float], to centres: Matrix) -> [Float] {
        let n = data.rows, d = data.columns, t = centres.rows
        let centreNorms = centres.rowSquaredNorms()
        var out = [Float](repeating: 0, count: n * t)
        data.withUnsafeBufferPointer { x in
            centres.withUnsafeBufferPointer { c in
                out.withUnsafeMutableBufferPointer { o in
                    let xs = SendableReadBuffer(x), cs = SendableReadBuffer(c), os = SendableBuffer(o)
                    Parallel.forEachChunk(0..<n, minimumChunk: 2048) { rows in
                        let xr = UnsafeRawPointer(xs.baseAddress!), cr = UnsafeRawPointer(cs.baseAddress!)
                        withUnsafeTemporaryAllocation(of: SIMD8<Float>.self, capacity: t) { acc in
                            for i in rows {
                                acc.initialize(repeating: SIMD8<Float>())
                                var p = 0
                                while p + 8 <= d {
                                    // Each data row is read once for all candidates.
                                    let xv = xr.loadUnaligned(fromByteOffset: (i * d + p) * 4, as: SIMD8<Float>.self)
                                    for j in 0..<t {
                                        acc[j] += xv * cr.loadUnaligned(fromByteOffset: (j * d + p) * 4, as: SIMD8<Float>.self)
                                    }
                                    p += 8
                                }
                                for j in 0..<t {
                                    var dot = acc[j].sum()
                                    var q = p
                                    while q < d { dot += xs.buffer[i * d + q] * cs.buffer[j * d + q]; q += 1 }
                                    os.buffer[i * t + j] = max(0, norms[i] + centreNorms[j] - 2 * dot)
                                }
                            }
                        }
                    }
                }
            }
        }
        return out
    }
}

/// Invalid input to ``KMeans``.
public enum KMeansError: Error, Equatable, CustomStringConvertible {
    /// The data has no rows.
    case emptyData
    /// More clusters than rows.
    case tooManyClusters(clusters: Int, rows: Int)
    /// A value is NaN or infinite.
    case nonFinite(row: Int, column: Int)
    /// Rows to predict have a different width from the centres.
    case columnMismatch(expected: Int, found: Int)
    /// A hyperparameter is invalid.
    case invalidParameter(name: String, value: String, expected: String)

    public var description: String {
        switch self {
        case .emptyData: return "k-means needs at least one row"
        case let .tooManyClusters(clusters, rows): return "k-means cannot make \(clusters) clusters from \(rows) rows"
        case let .nonFinite(row, column): return "row \(row), column \(column) is NaN or infinite"
        case let .columnMismatch(expected, found): return "rows have \(found) columns; the centres have \(expected)"
        case let .invalidParameter(name, value, expected): return "\(name) = \(value) is invalid: expected \(expected)"
        }
    }
}

extension Matrix {
    /// Population variance of each column, accumulated in Double.
    public func columnVariances() -> [Double] {
        let means = columnMeans()
        var out = [Double](repeating: 0, count: columns)
        guard rows > 0 else { return out }
        withUnsafeBufferPointer { buf in
            for r in 0..<rows {
                for j in 0..<columns { let dv = Double(buf[r * columns + j]) - means[j]; out[j] += dv * dv }
            }
        }
        return out.map { $0 / Double(rows) }
    }
}
