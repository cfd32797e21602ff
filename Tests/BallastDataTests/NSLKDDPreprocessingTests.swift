import BallastCore
import BallastData
import BallastTestSupport
import Testing

@Suite("NSL-KDD through the preprocessing pipeline")
struct NSLKDDPreprocessingTests {
    @Test("KDDTrain+ becomes the literature's 122 columns; test transforms cleanly; inverse gives valid records",
          .enabled(if: SharedData.hasNSLKDD("KDDTrain+.txt", "KDDTest+.txt"), "NSL-KDD is absent from ../shared/datasets/nsl-kdd (see its README)"))
    func realData() throws {
        let trainPath = try #require(SharedData.nslKDD(file: "KDDTrain+.txt")), testPath = try #require(SharedData.nslKDD(file: "KDDTest+.txt"))
        let train = try NSLKDD.load(path: trainPath)
        let test = try NSLKDD.load(path: testPath)
        let fitted = try Preprocessor().fit(train.features)
        #expect(fitted.outputWidth == 122)
        let logged = Set(fitted.columns.filter(\.logTransformed).map(\.name))
        #expect(logged.isSuperset(of: ["duration", "src_bytes", "dst_bytes"]))
        #expect(!logged.contains { $0.hasSuffix("_rate") })
        let (matrix, report) = try fitted.transformWithReport(test.features)
        #expect(matrix.rows == 22_544 && matrix.columns == 122)
        #expect(matrix.firstNonFinite() == nil)
        // Every service and flag of KDDTest+ also occurs in KDDTrain+ (checked with cut/sort/comm); only
        // attack names are new. Unseen categories are covered with hand-made tables elsewhere.
        #expect(report.totalUnseen == 0)
        let raw = try fitted.inverseTransform(matrix.gatherRows(0..<200))
        guard case .numeric(let bytes) = raw.column(named: "src_bytes")?.values else {
            Issue.record("src_bytes must be numeric"); return
        }
        #expect(bytes.allSatisfy { $0 >= 0 && $0 == $0.rounded() })
    }
}
