import BallastCore
import Foundation

/// Trees of one-value leaves (boosted trees) packed into one node array for fast batch prediction.
///
/// Leaves become self-loops (`x[0] <= +∞` always holds and leads back to the leaf), so every row
/// walks exactly the tree's depth with no leaf test, and eight rows walk each tree together to
/// overlap their memory latencies.
struct PackedForest {
    struct Node {
        var feature: Int32
        var threshold: Float
        var left: Int32
        var right: Int32
    }

    var nodes: [Node] = []
    var values: [Float] = []
    var roots: [Int32] = []
    var depths: [Int] = []

    /// Packs `trees` (each with `valueWidth == 1`).
    init(_ trees: [FlatTree]) {
        for tree in trees {
            let offset = Int32(nodes.count)
            roots.append(offset)
            depths.append(tree.depth)
            for i in 0..<tree.nodeCount {
                if tree.feature[i] < 0 {
                    nodes.append(Node(feature: 0, threshold: .infinity, left: offset + Int32(i), right: offset + Int32(i)))
                } else {
                    nodes.append(Node(feature: tree.feature[i], threshold: tree.threshold[i],
                                      left: offset + tree.left[i], right: offset + tree.right[i]))
                }
                values.append(tree.values[i])
            }
        }
    }

    /// Adds the leaf value of tree `t` to column `t % columns` of each row's output (finite rows only).
    func accumulate(_ features: Matrix, columns k: Int, into out: inout [Float]) {
        let rows = features.rows, m = features.columns
        features.withUnsafeBufferPointer { x in
            out.withUnsafeMutableBufferPointer { o in
                nodes.withUnsafeBufferPointer { nodeBuffer in
                    values.withUnsafeBufferPointer { valueBuffer in
                        let src = SendableReadBuffer(x), dst = SendableBuffer(o)
                        let nb = SendableReadBuffer(nodeBuffer), vb = SendableReadBuffer(valueBuffer)
                        let roots = self.roots, depths = self.depths
                        Parallel.forEachChunk(0..<rows, minimumChunk: 256) { range in
                            let current = UnsafeMutablePointer<Int>.allocate(capacity: 8)
                            defer { current.deallocate() }
                            let nodes = nb.baseAddress!, x = src.baseAddress!, out = dst.baseAddress!, leafValues = vb.baseAddress!
                            var start = range.lowerBound
                            while start < range.upperBound {
                                let block = min(8, range.upperBound - start)
                                let base = x + start * m
                                if block < 4 {
                                    // Too few rows to overlap their walks (one record from the web
                                    // service): walk eight trees of each row together instead.
                                    for j in 0..<block {
                                        Self.walkTrees(row: base + j * m, nodes: nodes, roots: roots, depths: depths, leafValues: leafValues,
                                                       current: current, columns: k, into: out + (start + j) * k)
                                    }
                                    start += block
                                    continue
                                }
                                for t in 0..<roots.count {
                                    let root = Int(roots[t])
                                    for j in 0..<block { current[j] = root }
                                    for _ in 0..<depths[t] {
                                        for j in 0..<block {
                                            let node = nodes[current[j]]
                                            current[j] = Int(base[j * m + Int(node.feature)] <= node.threshold ? node.left : node.right)
                                        }
                                    }
                                    let c = t % k
                                    for j in 0..<block { out[(start + j) * k + c] += leafValues[current[j]] }
                                }
                                start += block
                            }
                        }
                    }
                }
            }
        }
    }
}

extension PackedForest {
    /// Adds every tree's leaf value for one row to `out[t % columns]`, walking eight trees at a time
    /// so that their node loads overlap. Trees are summed in index order, as in the row-blocked walk,
    /// so the result is bit for bit the same. A leaf is a self-loop, so walking a shallower tree to
    /// the group's greatest depth leaves it on its leaf.
    @inline(__always)
    static func walkTrees(row: UnsafePointer<Float>, nodes: UnsafePointer<Node>, roots: [Int32], depths: [Int],
                          leafValues: UnsafePointer<Float>, current: UnsafeMutablePointer<Int>, columns k: Int,
                          into out: UnsafeMutablePointer<Float>) {
        var t = 0
        while t < roots.count {
            let group = min(8, roots.count - t)
            var depth = 0
            for i in 0..<group {
                current[i] = Int(roots[t + i])
                depth = max(depth, depths[t + i])
            }
            for _ in 0..<depth {
                for i in 0..<group {
                    let node = nodes[current[i]]
                    current[i] = Int(row[Int(node.feature)] <= node.threshold ? node.left : node.right)
                }
            }
            for i in 0..<group { out[(t + i) % k] += leafValues[current[i]] }
            t += group
        }
    }
}

/// A ``PackedForest`` built once for a model's trees and shared by copies of the model (a class, so
/// copies share it; the lock makes the first build safe when requests arrive together).
final class PackedForestCache: @unchecked Sendable {
    private let lock = NSLock()
    private var forest: PackedForest?

    /// The packed form of `trees`, which must be the same trees on every call (the owning model's).
    func forest(for trees: [FlatTree]) -> PackedForest {
        lock.lock()
        defer { lock.unlock() }
        if let forest { return forest }
        let built = PackedForest(trees)
        forest = built
        return built
    }
}
