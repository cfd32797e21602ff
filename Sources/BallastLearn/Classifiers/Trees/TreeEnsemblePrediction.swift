import BallastCore

/// Batch prediction shared by tree models.
enum TreeEnsemblePrediction {
    /// The mean of the leaf values (class probabilities) the rows reach in `trees`, computed on all
    /// threads for large batches (rows are independent, so the result does not depend on threads).
    static func averageLeafValues(_ trees: [FlatTree], _ features: Matrix, classCount: Int) -> Matrix {
        let rows = features.rows, m = features.columns
        var out = [Float](repeating: 0, count: rows * classCount)
        guard rows > 0, !trees.isEmpty else { return Matrix(rows: rows, columns: classCount, values: out) }
        let scale = 1 / Float(trees.count)
        features.withUnsafeBufferPointer { x in
            out.withUnsafeMutableBufferPointer { o in
                let src = SendableReadBuffer(x), dst = SendableBuffer(o)
                Parallel.forEachChunk(0..<rows, minimumChunk: 2048) { range in
                    for tree in trees {
                        tree.values.withUnsafeBufferPointer { v in
                            for r in range {
                                let leaf = tree.leaf(src.baseAddress! + r * m)
                                for c in 0..<classCount { dst.buffer[r * classCount + c] += v[leaf * classCount + c] }
                            }
                        }
                    }
                    if trees.count > 1 {
                        for i in (range.lowerBound * classCount)..<(range.upperBound * classCount) { dst.buffer[i] *= scale }
                    }
                }
            }
        }
        return Matrix(rows: rows, columns: classCount, values: out)
    }

    /// Checks that decoded trees fit the model: leaf values of `width` and rows of `featureCount`.
    /// - Throws: ``LearnError/invalidParameter(name:value:expected:)``.
    static func validate(_ trees: [FlatTree], width: Int, featureCount: Int) throws {
        for (i, t) in trees.enumerated() where t.valueWidth != width || t.featureCount != featureCount {
            throw LearnError.invalidParameter(name: "tree \(i)", value: "\(t.valueWidth) values per leaf, \(t.featureCount) features",
                                              expected: "\(width) values per leaf and \(featureCount) features")
        }
    }
}
