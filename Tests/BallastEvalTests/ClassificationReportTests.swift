import BallastEval
import Foundation
import Testing

@Suite("Classification metrics")
struct ClassificationReportTests {
    // Golden values from scikit-learn 1.9.1 (precision_recall_fscore_support with zero_division=0,
    // accuracy_score, balanced_accuracy_score, matthews_corrcoef) on these labels.
    let truth = [0, 0, 0, 0, 1, 1, 1, 2, 2, 3]
    let predicted = [0, 0, 1, 0, 1, 2, 1, 2, 0, 0]
    let names = ["Normal", "DoS", "Probe", "U2R"]

    @Test("Per-class, macro and weighted values match scikit-learn")
    func golden() throws {
        let r = try ClassificationReport(truth: truth, predicted: predicted, classNames: names)
        #expect(r.confusion.counts == [[3, 1, 0, 0], [0, 2, 1, 0], [1, 0, 1, 0], [1, 0, 0, 0]])
        let tol = 1e-12
        #expect(zip(r.perClass.map(\.precision), [0.6, 2.0 / 3, 0.5, 0]).allSatisfy { abs($0 - $1) < tol })
        #expect(zip(r.perClass.map(\.recall), [0.75, 2.0 / 3, 0.5, 0]).allSatisfy { abs($0 - $1) < tol })
        #expect(zip(r.perClass.map(\.f1), [2.0 / 3, 2.0 / 3, 0.5, 0]).allSatisfy { abs($0 - $1) < tol })
        #expect(r.perClass.map(\.support) == [4, 3, 2, 1])
        #expect(abs(r.macro.precision - 0.44166666666666665) < tol)
        #expect(abs(r.macro.recall - 0.47916666666666663) < tol)
        #expect(abs(r.macro.f1 - 0.4583333333333333) < tol)
        #expect(abs(r.weighted.precision - 0.54) < tol)
        #expect(abs(r.weighted.recall - 0.6) < tol)
        #expect(abs(r.weighted.f1 - 0.5666666666666667) < tol)
        #expect(abs(r.accuracy - 0.6) < tol)
        #expect(abs(r.balancedAccuracy - 0.47916666666666663) < tol)
        #expect(abs(r.mcc - 0.4098442999852685) < 1e-12)
        // U2R is never predicted: precision 0 by convention, and flagged; its recall 0 makes G-mean 0.
        #expect(r.undefinedPrecision == ["U2R"])
        #expect(r.gMean == 0)
    }

    @Test("Specificity and false-alarm rate by hand; G-mean is the geometric mean of recalls")
    func specificityAndGMean() throws {
        // Normal: TP 3, FN 1, FP 2 (rows 8 and 9 predicted Normal), TN 4.
        let r = try ClassificationReport(truth: truth, predicted: predicted, classNames: names)
        #expect(abs(r.perClass[0].specificity - 4.0 / 6) < 1e-12)
        #expect(abs(r.perClass[0].falseAlarmRate - 2.0 / 6) < 1e-12)
        let perfectButOne = try ClassificationReport(truth: [0, 0, 1, 1], predicted: [0, 0, 1, 0], classNames: ["a", "b"])
        #expect(abs(perfectButOne.gMean - (1.0 * 0.5).squareRoot()) < 1e-12)
    }

    @Test("A class absent from the test set is excluded from macro averages and flagged when predicted")
    func absentClass() throws {
        let r = try ClassificationReport(truth: [0, 0, 1, 1], predicted: [0, 2, 1, 1], classNames: ["a", "b", "c"])
        #expect(r.undefinedRecall == ["c"])
        let r2 = try ClassificationReport(truth: [0, 0, 1, 1], predicted: [0, 0, 1, 1], classNames: ["a", "b", "c"])
        #expect(r2.macro.f1 == 1)
        #expect(r2.balancedAccuracy == 1)
        #expect(r2.mcc == 1)
    }

    @Test("Mismatched lengths and out-of-range labels are errors naming the numbers")
    func errors() {
        #expect(throws: MetricsError.lengthMismatch(truth: 2, predicted: 1)) {
            try ClassificationReport(truth: [0, 1], predicted: [0], classNames: ["a", "b"])
        }
        #expect(throws: MetricsError.labelOutOfRange(row: 1, label: 5, classCount: 2)) {
            try ClassificationReport(truth: [0, 1], predicted: [0, 5], classNames: ["a", "b"])
        }
    }

    @Test("Empty input gives zeros, not NaN")
    func empty() throws {
        let r = try ClassificationReport(truth: [], predicted: [], classNames: ["a", "b"])
        #expect(r.accuracy == 0 && r.mcc == 0 && r.macro.f1 == 0)
        #expect(r.renderPlain().contains("a"))
    }

    @Test("Rendered table is aligned and the JSON round-trips")
    func rendering() throws {
        let r = try ClassificationReport(truth: truth, predicted: predicted, classNames: names)
        let lines = r.table().renderPlain().split(separator: "\n")
        #expect(lines[0].hasPrefix("class"))
        #expect(lines.contains { $0.hasPrefix("Normal") && $0.contains("75.00") && $0.contains("60.00") })
        // Numbers are right-aligned under their heading: each row's recall value ends where "recall %" ends.
        let end = Array(lines[0]).firstIndex(of: "%")! + 1
        for row in lines.dropFirst(2) where !row.hasPrefix("─") {
            let chars = Array(row)
            #expect(chars.count > end && chars[end - 1].isNumber && chars[end] == " ", "misaligned row: \(row)")
        }
        #expect(r.renderMarkdown().contains("| Normal"))
        let decoded = try JSONDecoder().decode(ClassificationReport.self, from: r.jsonData())
        #expect(decoded == r)
    }

    @Test("Decoding checks the confusion matrix's shape and recomputes the metrics from it (hostile results files)")
    func decodingIsChecked() throws {
        let r = try ClassificationReport(truth: [0, 1, 2, 2], predicted: [0, 2, 2, 1], classNames: ["a", "b", "c"])
        var object = try #require(JSONSerialization.jsonObject(with: r.jsonData()) as? [String: Any])
        // Per-class metrics of another length, and numbers the counts do not give, are replaced.
        object["perClass"] = []
        object["accuracy"] = 7.5
        let tampered = try JSONDecoder().decode(ClassificationReport.self, from: JSONSerialization.data(withJSONObject: object))
        #expect(tampered == r)
        for counts: [[Int]] in [[[1, 0], [0, 1]], [[1, 0, 0], [0, 1], [0, 0, 1]], [[1, 0, 0], [0, -1, 0], [0, 0, 1]],
                                [[Int.max, 0, 0], [0, 1, 0], [0, 0, 0]]] {
            let confusion: [String: Any] = ["classNames": ["a", "b", "c"], "counts": counts]
            #expect(throws: DecodingError.self, "counts \(counts)") {
                try JSONDecoder().decode(ConfusionMatrix.self, from: JSONSerialization.data(withJSONObject: confusion))
            }
            object["confusion"] = confusion
            #expect(throws: DecodingError.self) {
                try JSONDecoder().decode(ClassificationReport.self, from: JSONSerialization.data(withJSONObject: object))
            }
        }
    }
}
