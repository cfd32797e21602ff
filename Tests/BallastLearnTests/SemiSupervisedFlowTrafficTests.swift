import BallastCore
import BallastData
@testable import BallastLearn
import BallastTestSupport
import Testing

/// `ssflow` on simulated traffic with 2% labels: the unlabelled rows must help.
@Suite("Semi-supervised flow on simulated traffic")
struct SemiSupervisedFlowTrafficTests {
    /// Macro-F1 over the classes present in the truth or the predictions.
    static func macroF1(truth: [Int], predicted: [Int], classes: Int) -> Double {
        var tp = [Int](repeating: 0, count: classes), fp = tp, fn = tp
        for (t, p) in zip(truth, predicted) {
            if t == p { tp[t] += 1 } else { fp[p] += 1; fn[t] += 1 }
        }
        var total = 0.0, present = 0
        for c in 0..<classes where tp[c] + fp[c] + fn[c] > 0 {
            let denominator: Int = 2 * tp[c] + fp[c] + fn[c]
            total += 2 * Double(tp[c]) / Double(denominator)
            present += 1
        }
        return total / Double(max(present, 1))
    }

    /// Simulated traffic split into a 2% labelled part, the unlabelled rest and a test part.
    static func data() throws -> (labelled: LabeledMatrix, unlabelled: Matrix, test: LabeledMatrix) {
        var rng = Xoshiro256StarStar(seed: 17)
        let table = try TrafficSimulator(rowCount: 3000).generate(using: &rng)
        let (trainRows, testRows) = try StratifiedSplit(testFraction: 1.0 / 3).split(labels: table.labels, using: &rng)
        let train = table.gatherRows(trainRows)
        let fitted = try Preprocessor().fit(train.features)
        let trainMatrix = try train.labeledMatrix(using: fitted)
        let test = try table.gatherRows(testRows).labeledMatrix(using: fitted)
        let split = try LabelledFraction(0.02).split(labels: trainMatrix.labels, using: &rng)
        return (trainMatrix.gatherRows(split.labelled), trainMatrix.features.gatherRows(split.unlabelled), test)
    }

    @Test("with 2% labels, the unlabelled rows raise macro-F1 over the same flow trained on the labels alone")
    func unlabelledRowsHelp() throws {
        let (labelled, unlabelled, test) = try Self.data()
        let flow = SemiSupervisedFlowClassifier(couplings: 2, hiddenWidths: [32], epochs: 8, epochRows: 512, rounds: 2,
                                                edgeBatch: 32, progress: .hidden)
        var rng = Xoshiro256StarStar(seed: 3)
        let supervised = try flow.fit(labelled, using: &rng)
        rng = Xoshiro256StarStar(seed: 3)
        let semi = try flow.fit(labelled, unlabelled: unlabelled, using: &rng)
        let k = labelled.classNames.count
        let a = Self.macroF1(truth: test.labels, predicted: try supervised.predict(test.features), classes: k)
        let b = Self.macroF1(truth: test.labels, predicted: try semi.predict(test.features), classes: k)
        print("ssflow on simulated traffic, \(labelled.count) labels, \(unlabelled.rows) unlabelled: macro-F1 supervised \(a), semi-supervised \(b); rounds \(semi.rounds.map(\.pseudoLabelled)); priors \(semi.priors)")
        #expect(b >= a + 0.02, "macro-F1 supervised \(a), semi-supervised \(b)")
        #expect(semi.rounds.count >= 2 && semi.unlabelledCount == unlabelled.rows)
    }
}
