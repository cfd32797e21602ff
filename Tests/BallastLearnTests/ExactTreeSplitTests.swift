import BallastCore
import BallastData
import BallastLearn
import BallastTestSupport
import Testing

/// Trees split on values as distinct as the raw data's, like scikit-learn's exact splitter.
@Suite("Exact tree splits")
struct ExactTreeSplitTests {
    /// 400 small counters and 40 byte counts of 10⁷ + i whose class alternates with i: after log1p
    /// and z-scoring, neighbouring large counts differ by ~4e-8, below `Float` resolution there.
    static func heavyTailTable() -> LabeledTable {
        var values: [Double] = [], labels: [Int] = []
        for i in 0..<400 { values.append(Double(i % 20)); labels.append(0) }
        for i in 0..<40 { values.append(1e7 + Double(i)); labels.append(1 + i % 2) }
        let table = Table(columns: [TableColumn(name: "src_bytes", values: .numeric(values))])
        return LabeledTable(features: table, labels: labels, classNames: ["small", "even", "odd"], source: "test")
    }

    @Test("a tree on log1p + z-scored features separates values that differ only past Float32 resolution")
    func distinctAfterLogAndZScore() throws {
        let data = Self.heavyTailTable()
        let fitted = try Preprocessor().fit(data.features)
        #expect(fitted.columns[0].logTransformed)
        let matrix = try data.labeledMatrix(using: fitted)
        var rng = Xoshiro256StarStar(seed: 1)
        let model = try DecisionTreeClassifier().fit(matrix, using: &rng)
        #expect(try model.predict(matrix.features) == matrix.labels)
    }

    @Test("a split's threshold lies halfway between the node's neighbouring values (scikit-learn's)")
    func nodeLocalThreshold() throws {
        // The root splits on x₁ (class c alone on the right); the left node holds x₀ = 1 and 9 only,
        // so its threshold is 5 although the training data also has x₀ = 5 (in the other node).
        let data = LabeledMatrix(features: Matrix([[1, 0], [9, 0], [5, 1], [5, 1]]), labels: [0, 1, 2, 2],
                                 classNames: ["a", "b", "c"])
        var rng = Xoshiro256StarStar(seed: 0)
        let model = try DecisionTreeClassifier().fit(data, using: &rng)
        #expect(model.tree.feature[0] == 1)
        let node = try #require(model.tree.feature.firstIndex(of: 0))
        #expect(model.tree.threshold[node] == 5)
        #expect(try model.predict(Matrix([[4.9, 0], [5.1, 0]])) == [0, 1])
    }

    @Test("features constant in a node do not use up a forest's candidate draws")
    func constantFeaturesRedrawn() throws {
        // One informative column (10 alternating class bands) among 99 all-zero ones: with √100 = 10
        // candidates per split, a splitter that counts constant columns would stop most nodes early.
        var rng = Xoshiro256StarStar(seed: 5)
        let n = 300
        var features = Matrix(rows: n, columns: 100)
        var labels: [Int] = []
        for r in 0..<n {
            let x = rng.nextUniform()
            features[r, 0] = Float(x)
            labels.append(Int(x * 10) % 2)
        }
        let data = LabeledMatrix(features: features, labels: labels, classNames: ["a", "b"])
        let model = try RandomForestClassifier(trees: 5, bootstrap: false).fit(data, using: &rng)
        #expect(try model.predict(features) == labels)
    }

    @Test("with a bin limit, wide columns are split at no more than that many quantile bins")
    func binLimit() throws {
        let data = ClassifierTestData.blobs(rowsPerClass: [60, 60], columns: 3, separation: 1, seed: 4)
        func mostThresholdsPerFeature(_ tree: FlatTree) -> Int {
            (0..<3).map { f in Set(tree.feature.indices.filter { tree.feature[$0] == Int32(f) }.map { tree.threshold[$0] }).count }.max() ?? 0
        }
        var rng = Xoshiro256StarStar(seed: 0)
        let binned = try DecisionTreeClassifier(maxBins: 8).fit(data, using: &rng)
        let exact = try DecisionTreeClassifier().fit(data, using: &rng)
        #expect(mostThresholdsPerFeature(binned.tree) <= 7)
        #expect(mostThresholdsPerFeature(exact.tree) > 7)
        #expect(throws: LearnError.self) { try DecisionTreeClassifier(maxBins: 1).fit(data, using: &rng) }
    }
}
