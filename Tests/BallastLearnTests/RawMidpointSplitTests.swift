import BallastCore
import BallastData
import BallastLearn
import Foundation
import Testing

/// Trees fitted with the preprocessing's schema split a `log1p` column where a tree on the raw data
/// would: halfway between the raw values, not between their logarithms.
@Suite("Tree thresholds at raw midpoints")
struct RawMidpointSplitTests {
    /// Class `small` at 10 bytes, class `large` at 10,000 bytes (log1p forced), plus a protocol
    /// column (one-hot) that does not separate the classes.
    static func data() throws -> (FittedPreprocessor, LabeledMatrix) {
        var bytes: [Double] = [], labels: [Int] = [], codes: [Int32] = []
        for i in 0..<40 {
            bytes.append(i % 2 == 0 ? 10 : 10_000)
            labels.append(i % 2)
            codes.append(Int32(i % 3))
        }
        let table = Table(columns: [TableColumn(name: "bytes", values: .numeric(bytes)),
                                    TableColumn(name: "protocol", values: .categorical(codes: codes, categories: ["tcp", "udp", "icmp"]))])
        let prep = try Preprocessor(logTransform: .columns(["bytes"])).fit(table)
        let matrix = try LabeledTable(features: table, labels: labels, classNames: ["small", "large"], source: "test").labeledMatrix(using: prep)
        return (prep, matrix)
    }

    /// Raw test records: 1,000 and 4,000 bytes lie above the geometric midpoint (~331) but below the
    /// raw one (5,005); 6,000 lies above both. The protocol `sctp` was never seen.
    static func testRows(_ prep: FittedPreprocessor) throws -> Matrix {
        let table = Table(columns: [TableColumn(name: "bytes", values: .numeric([1_000, 4_000, 6_000, 200])),
                                    TableColumn(name: "protocol", values: .categorical(codes: [0, 3, 1, 2], categories: ["tcp", "udp", "icmp", "sctp"]))])
        return try prep.transform(table)
    }

    static let models: [(String, any Classifier)] = [
        ("dt", DecisionTreeClassifier()),
        ("dt with bins", DecisionTreeClassifier(maxBins: 16)),
        ("rf", RandomForestClassifier(trees: 5, maxFeatures: .all, bootstrap: false)),
        ("gbdt", GradientBoostingClassifier(rounds: 5)),
        ("voting", VotingClassifier(members: [GradientBoostingClassifier(rounds: 5), DecisionTreeClassifier()])),
    ]

    @Test("test rows between the geometric and the raw midpoint follow the raw midpoint", arguments: models.indices)
    func rawMidpointRouting(index: Int) throws {
        let (name, classifier) = Self.models[index]
        let (prep, train) = try Self.data()
        let test = try Self.testRows(prep)
        var rng = Xoshiro256StarStar(seed: 3)
        let raw = try classifier.fitErased(train, schema: FeatureSchema(preprocessor: prep), using: &rng)
        #expect(try raw.predict(test) == [0, 0, 1, 0], "\(name) with the schema")
        #expect(try raw.predict(train.features) == train.labels, "\(name) fits its training rows")
        rng = Xoshiro256StarStar(seed: 3)
        let plain = try classifier.fitErased(train, using: &rng)
        #expect(try plain.predict(test) == [1, 1, 1, 0], "\(name) without the schema splits at the log midpoint")
    }

    @Test("the tree's threshold is the output of the raw midpoint, and the model is the same otherwise")
    func thresholdValue() throws {
        let (prep, train) = try Self.data()
        var rng = Xoshiro256StarStar(seed: 1)
        let raw = try DecisionTreeClassifier().fit(train, schema: FeatureSchema(preprocessor: prep), using: &rng)
        rng = Xoshiro256StarStar(seed: 1)
        let plain = try DecisionTreeClassifier().fit(train, using: &rng)
        #expect(raw.tree.feature == plain.tree.feature && raw.tree.left == plain.tree.left && raw.tree.values == plain.tree.values)
        #expect(raw.tree.feature[0] == 0)
        #expect(abs(prep.columns[0].rawValue(ofOutput: raw.tree.threshold[0]) - 5_005) < 0.05)
        #expect(plain.tree.threshold[0] < raw.tree.threshold[0])
    }

    @Test("with the schema, log1p no longer changes a tree's predictions on raw records", arguments: [
        ("dt", DecisionTreeClassifier() as any Classifier), ("rf", RandomForestClassifier(trees: 5)),
    ] as [(String, any Classifier)])
    func invariantToLog(name: String, classifier: any Classifier) throws {
        // Byte counts spread over four decades, classes by band with 10% of the labels flipped (deep
        // trees); test records lie a quarter of a byte from every raw midpoint, far above the `Float`
        // resolution of either preprocessing at these sizes.
        var rng = Xoshiro256StarStar(seed: 11)
        var bytes: [Double] = [], rate: [Double] = [], labels: [Int] = []
        for _ in 0..<600 {
            let b = (exp(rng.nextUniform() * 10.5)).rounded(.down)
            bytes.append(b)
            rate.append((rng.nextUniform() * 100).rounded() / 100)
            let band = b < 50 ? 0 : (b < 2_000 ? 1 : 2)
            labels.append(rng.nextUniform() < 0.1 ? (band + 1) % 3 : band)
        }
        let features = Table(columns: [TableColumn(name: "bytes", values: .numeric(bytes)), TableColumn(name: "rate", values: .numeric(rate))])
        let table = LabeledTable(features: features, labels: labels, classNames: ["a", "b", "c"], source: "test")
        let testBytes = (0..<2_000).map { _ in (exp(rng.nextUniform() * 10.6)).rounded(.down) + 0.25 }
        let testRate = (0..<2_000).map { _ in rng.nextUniform() }
        let test = Table(columns: [TableColumn(name: "bytes", values: .numeric(testBytes)), TableColumn(name: "rate", values: .numeric(testRate))])
        var predictions: [[Int]] = []
        for log in [Preprocessor.LogTransform.columns(["bytes"]), .none] {
            let prep = try Preprocessor(logTransform: log).fit(features)
            var fitRNG = Xoshiro256StarStar(seed: 5)
            let model = try classifier.fitErased(table.labeledMatrix(using: prep), schema: FeatureSchema(preprocessor: prep), using: &fitRNG)
            predictions.append(try model.predict(prep.transform(test)))
        }
        #expect(predictions[0] == predictions[1], "\(name): \(zip(predictions[0], predictions[1]).filter { $0 != $1 }.count) records differ")
        // Without the schema the log1p tree splits at midpoints of the logarithms, and records differ.
        let prep = try Preprocessor(logTransform: .columns(["bytes"])).fit(features)
        var fitRNG = Xoshiro256StarStar(seed: 5)
        let plain = try classifier.fitErased(table.labeledMatrix(using: prep), using: &fitRNG)
        #expect(try plain.predict(prep.transform(test)) != predictions[1], "\(name) without the schema")
    }

    @Test("a schema of rows without log1p columns, or an inferred one, changes nothing")
    func linearColumnsUnchanged() throws {
        let (_, train) = try Self.data()
        let linear = try Preprocessor(logTransform: .none).fit(Table(columns: [
            TableColumn(name: "bytes", values: .numeric((0..<40).map { $0 % 2 == 0 ? 10 : 10_000 })),
            TableColumn(name: "protocol", values: .categorical(codes: (0..<40).map { Int32($0 % 3) }, categories: ["tcp", "udp", "icmp"])),
        ]))
        for schema in [FeatureSchema(preprocessor: linear), FeatureSchema(inferredFrom: train.features)] {
            var rng = Xoshiro256StarStar(seed: 1)
            let with = try DecisionTreeClassifier().fit(train, schema: schema, using: &rng)
            rng = Xoshiro256StarStar(seed: 1)
            let without = try DecisionTreeClassifier().fit(train, using: &rng)
            #expect(with == without)
        }
    }

    @Test("a schema of another width and non-finite rows are refused with the usual errors")
    func refusals() throws {
        let (prep, train) = try Self.data()
        var rng = Xoshiro256StarStar(seed: 1)
        let narrow = FeatureSchema(inferredFrom: Matrix(rows: 2, columns: 2))
        #expect {
            try DecisionTreeClassifier().fit(train, schema: narrow, using: &rng)
        } throws: { error in
            guard case let .invalidParameter(name, _, _)? = error as? LearnError else { return false }
            return name == "schema"
        }
        #expect(throws: LearnError.self) { try RandomForestClassifier(trees: 2).fit(train, schema: narrow, using: &rng) }
        #expect(throws: LearnError.self) { try GradientBoostingClassifier(rounds: 2).fit(train, schema: narrow, using: &rng) }
        var bad = train
        bad.features[3, 0] = .nan
        #expect(throws: LearnError.nonFinite(row: 3, column: 0)) {
            try DecisionTreeClassifier().fit(bad, schema: FeatureSchema(preprocessor: prep), using: &rng)
        }
    }

    @Test("a log1p column that is constant, and tie-broken values 10⁷ + i, still split as before")
    func constantAndTieBroken() throws {
        var bytes: [Double] = [], flat: [Double] = [], labels: [Int] = []
        for i in 0..<400 { bytes.append(Double(i % 20)); flat.append(7); labels.append(0) }
        for i in 0..<40 { bytes.append(1e7 + Double(i)); flat.append(7); labels.append(1 + i % 2) }
        let table = Table(columns: [TableColumn(name: "src_bytes", values: .numeric(bytes)), TableColumn(name: "flat", values: .numeric(flat))])
        let prep = try Preprocessor(logTransform: .columns(["src_bytes", "flat"])).fit(table)
        #expect(prep.columns[0].tieBreaks != nil)
        let train = try LabeledTable(features: table, labels: labels, classNames: ["small", "even", "odd"], source: "test").labeledMatrix(using: prep)
        for classifier in [DecisionTreeClassifier() as any Classifier, RandomForestClassifier(trees: 3, maxFeatures: .all, bootstrap: false)] {
            var rng = Xoshiro256StarStar(seed: 2)
            let model = try classifier.fitErased(train, schema: FeatureSchema(preprocessor: prep), using: &rng)
            #expect(try model.predict(train.features) == train.labels)
        }
    }
}
