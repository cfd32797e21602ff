/// Gather indices that reorder the sequence held in each row of a batch, for ``Tape/gatherRows(_:_:)``
/// on the batch flattened to one column: how ``LSTM`` reads channel-major or reversed input.
///
/// A row holds `features × length` values either time-major (column `t · features + j`) or
/// channel-major (column `j · length + t`, the layout of ``Conv1d`` and ``MaxPool1d``).
struct SequenceReordering {
    /// The batch size the cached indices are for (`-1`: none yet).
    private var batch = -1
    /// The cached indices.
    private(set) var indices: [Int] = []

    /// Gather indices that give one time step per row (`(batch·length) × features`, row `n·length + t`),
    /// time `length − 1 − t` instead of `t` when `reversed`.
    /// - Parameters:
    ///   - batch: rows of the batch.
    ///   - features: features (channels) per time step.
    ///   - length: time steps per row.
    ///   - channelMajor: whether the rows are laid out channel-major (else time-major).
    ///   - reversed: whether time runs backwards.
    static func timeSteps(batch: Int, features: Int, length: Int, channelMajor: Bool, reversed: Bool) -> [Int] {
        let width = features * length
        var out = [Int](repeating: 0, count: batch * width)
        out.withUnsafeMutableBufferPointer { out in
            var i = 0
            for n in 0..<batch {
                for step in 0..<length {
                    let t = reversed ? length - 1 - step : step
                    for j in 0..<features {
                        out[i] = n * width + (channelMajor ? j * length + t : t * features + j)
                        i += 1
                    }
                }
            }
        }
        return out
    }

    /// The indices `make` builds for `batch` rows, built only when the batch size changed.
    mutating func indices(batch: Int, _ make: (Int) -> [Int]) -> [Int] {
        if batch != self.batch {
            indices = make(batch)
            self.batch = batch
        }
        return indices
    }
}
