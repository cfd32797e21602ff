import BallastCore
import BallastData
import BallastEval
import BallastLearn
import Foundation
import Testing

/// `ballast train` (``TrainJob``) gives tree detectors the preprocessing's schema, so a bundle routes
/// raw records by the raw midpoint of a `log1p` column, with and without SMOTE, after a round trip.
@Suite("Trained trees split at raw midpoints")
struct TrainRawMidpointTests {
    /// 34 records of 10 bytes (`small`), 6 of 10,000 bytes (`large`): `src_bytes` is heavy-tailed,
    /// so the default preprocessing takes its log1p; `flag` is 0 or 1 in both classes alike.
    static func table() -> LabeledTable {
        var bytes: [Double] = [], flag: [Double] = [], labels: [Int] = []
        for i in 0..<40 {
            bytes.append(i < 34 ? 10 : 10_000)
            flag.append(Double(i % 2))
            labels.append(i < 34 ? 0 : 1)
        }
        return LabeledTable(features: Table(columns: [TableColumn(name: "src_bytes", values: .numeric(bytes)),
                                                      TableColumn(name: "flag", values: .numeric(flag))]),
                            labels: labels, classNames: ["small", "large"], source: "test")
    }

    @Test("records of 1,000 and 4,000 bytes are small, 6,000 large", arguments: [
        ("dt", nil), ("dt", "smote"), ("rf:trees=5", nil), ("rf:trees=5", "smote"), ("gbdt:rounds=5", "smote"),
    ] as [(String, String?)])
    func bundleRoutesByRawMidpoint(model: String, balance: String?) throws {
        let outcome = try TrainJob(model: model, balance: balance).run(Self.table(), format: "csv", labelColumn: "class",
                                                                       labelMode: "5class", seed: 4)
        #expect(outcome.bundle.preprocessor.columns[0].logTransformed)
        let records = Table(columns: [TableColumn(name: "src_bytes", values: .numeric([1_000, 4_000, 6_000, 20])),
                                      TableColumn(name: "flag", values: .numeric([0, 1, 0, 1]))])
        let back = try ModelBundle.decode(outcome.bundle.encoded(), path: "memory")
        for bundle in [outcome.bundle, back] {
            #expect(try bundle.predict(records).labels == [0, 0, 1, 0], "\(model) \(balance ?? "")")
        }
    }
}
