import BallastCore

/// A fitted binary decision tree stored as flat arrays (one entry per node), the shared fitted form
/// of decision trees, forests and boosted trees.
///
/// Node 0 is the root. An inner node sends a row left when `x[feature] <= threshold`; a leaf has
/// `feature == -1` and owns `valueWidth` values at `values[node * valueWidth ..< (node + 1) * valueWidth]`
/// (class probabilities for classification trees, one raw score for boosted trees).
public struct FlatTree: Sendable, Equatable, Codable {
    /// Split feature per node, `-1` for leaves.
    public var feature: [Int32] = []
    /// Split threshold per node (`x <= threshold` goes left).
    public var threshold: [Float] = []
    /// Left child per node (`-1` for leaves).
    public var left: [Int32] = []
    /// Right child per node (`-1` for leaves).
    public var right: [Int32] = []
    /// `valueWidth` values per node (meaningful at leaves).
    public var values: [Float] = []
    /// Values per node.
    public var valueWidth: Int
    /// Number of feature columns of the rows the tree reads.
    public var featureCount: Int

    /// An empty tree whose nodes carry `valueWidth` values and read rows of `featureCount` columns.
    public init(valueWidth: Int, featureCount: Int) {
        self.valueWidth = valueWidth
        self.featureCount = featureCount
    }

    private enum CodingKeys: String, CodingKey { case feature, threshold, left, right, values, valueWidth, featureCount }

    /// Decodes a tree and checks its structure, so a corrupted file cannot make prediction loop or
    /// read out of bounds.
    /// - Throws: `DecodingError.dataCorrupted` naming the first inconsistent node.
    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        feature = try c.decode([Int32].self, forKey: .feature)
        threshold = try c.decode([Float].self, forKey: .threshold)
        left = try c.decode([Int32].self, forKey: .left)
        right = try c.decode([Int32].self, forKey: .right)
        values = try c.decode([Float].self, forKey: .values)
        valueWidth = try c.decode(Int.self, forKey: .valueWidth)
        featureCount = try c.decode(Int.self, forKey: .featureCount)
        if let problem = structureProblem() {
            throw DecodingError.dataCorrupted(DecodingError.Context(codingPath: decoder.codingPath, debugDescription: problem))
        }
    }

    /// Number of nodes.
    public var nodeCount: Int { feature.count }

    /// Number of leaves.
    public var leafCount: Int { feature.reduce(0) { $0 + ($1 < 0 ? 1 : 0) } }

    /// The depth of the deepest leaf (a lone root has depth 0).
    public var depth: Int {
        var best = 0
        var stack: [(Int, Int)] = nodeCount > 0 ? [(0, 0)] : []
        while let (node, d) = stack.popLast() {
            best = max(best, d)
            if feature[node] >= 0 { stack.append((Int(left[node]), d + 1)); stack.append((Int(right[node]), d + 1)) }
        }
        return best
    }

    /// Appends a node with placeholder children and returns its index.
    mutating func appendNode(values nodeValues: UnsafeBufferPointer<Float>) -> Int {
        feature.append(-1)
        threshold.append(0)
        left.append(-1)
        right.append(-1)
        values.append(contentsOf: nodeValues)
        return feature.count - 1
    }

    /// The leaf a row reaches.
    @inline(__always)
    func leaf(_ x: UnsafePointer<Float>) -> Int {
        var node = 0
        feature.withUnsafeBufferPointer { f in
            threshold.withUnsafeBufferPointer { t in
                left.withUnsafeBufferPointer { l in
                    right.withUnsafeBufferPointer { r in
                        while f[node] >= 0 {
                            node = Int(x[Int(f[node])] <= t[node] ? l[node] : r[node])
                        }
                    }
                }
            }
        }
        return node
    }

    /// A description of the first structural inconsistency, or `nil` for a well-formed tree.
    func structureProblem() -> String? {
        let n = nodeCount
        let (valueCount, overflow) = n.multipliedReportingOverflow(by: valueWidth)
        guard n > 0, threshold.count == n, left.count == n, right.count == n, valueWidth >= 1, !overflow,
              values.count == valueCount else {
            return "tree arrays disagree: \(n) nodes, \(threshold.count) thresholds, \(values.count) values of valueWidth \(valueWidth)"
        }
        guard featureCount >= 1 else { return "tree featureCount \(featureCount), expected ≥ 1" }
        for i in 0..<n where feature[i] >= 0 {
            guard Int(feature[i]) < featureCount, left[i] > Int32(i), right[i] > Int32(i), Int(left[i]) < n, Int(right[i]) < n else {
                return "tree node \(i): feature \(feature[i]) (expected below \(featureCount)), children \(left[i]) and \(right[i]) (expected after \(i), below \(n))"
            }
        }
        return nil
    }

    /// Adds `scale ×` the leaf values of each row's leaf to `out` (`rows × valueWidth`, row-major).
    func accumulate(_ features: Matrix, scale: Float, into out: inout [Float]) {
        let m = features.columns, w = valueWidth
        features.withUnsafeBufferPointer { x in
            values.withUnsafeBufferPointer { v in
                out.withUnsafeMutableBufferPointer { o in
                    for r in 0..<features.rows {
                        let leafNode = leaf(x.baseAddress! + r * m)
                        for c in 0..<w { o[r * w + c] += scale * v[leafNode * w + c] }
                    }
                }
            }
        }
    }
}
