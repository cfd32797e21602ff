import BallastCore
import BallastLearn
import BallastTestSupport
import Testing

/// Which rows the cleaning and under-sampling methods remove, and why.
@Suite("Under-sampler properties")
struct UnderSamplerPropertyTests {
    @Test("Tomek pairs are mutual nearest neighbours of different classes; only the majority side is removed")
    func tomek() throws {
        let data = OverSamplerPropertyTests.twoBlobs(minority: 60)
        let linked = try TomekLinks.linkedRows(data)
        let nn = try NearestNeighbors.searchWithin(data.features, k: 1).indices
        #expect(linked.contains(true))
        for i in data.labels.indices where linked[i] {
            let j = Int(nn[i])
            #expect(Int(nn[j]) == i && data.labels[j] != data.labels[i])
        }
        var rng = Xoshiro256StarStar(seed: 1)
        let out = try TomekLinks().resample(data, using: &rng)
        let removedMajority = data.labels.indices.filter { linked[$0] && data.labels[$0] == 0 }.count
        #expect(out.classCounts == [200 - removedMajority, 60])
    }

    @Test("ENN removes a majority row surrounded by minority rows and keeps rows inside their class")
    func enn() throws {
        var features = Matrix(rows: 0, columns: 2)
        var labels: [Int] = []
        for i in 0..<20 { features.appendRow([Float(i % 5), Float(i / 5)]); labels.append(0) }              // majority grid
        for i in 0..<8 { features.appendRow([20 + Float(i % 3), Float(i / 3)]); labels.append(1) }        // minority grid
        features.appendRow([21, 1.1]); labels.append(0)                                                    // intruder
        let data = LabeledMatrix(features: features, labels: labels, classNames: ["a", "b"])
        var rng = Xoshiro256StarStar(seed: 1)
        let out = try EditedNearestNeighbours().resample(data, using: &rng)
        #expect(out.count == data.count - 1)
        #expect(!out.features.storage.elementsEqual(data.features.storage))
        #expect(out.classCounts == [20, 8])
    }

    @Test("K-means density under-sampling thins the dense cluster and keeps the sparse one whole, to the exact count")
    func kmeansUnder() throws {
        var rng = Xoshiro256StarStar(seed: 2)
        // Majority: 900 rows in a tight cluster at 0, 60 spread rows around (20, 20); minority: 100 rows.
        var features = Matrix(rows: 900, columns: 2) { _, _ in Float(rng.nextNormal()) * 0.1 }
        features.appendRows(Matrix(rows: 60, columns: 2) { _, _ in 20 + Float(rng.nextNormal()) * 3 })
        features.appendRows(Matrix(rows: 100, columns: 2) { _, _ in -20 + Float(rng.nextNormal()) })
        let labels = Array(repeating: 0, count: 960) + Array(repeating: 1, count: 100)
        let data = LabeledMatrix(features: features, labels: labels, classNames: ["major", "minor"])
        let out = try KMeansUnderSampler(clusters: 2).resample(data, using: &rng)
        #expect(out.classCounts == [100, 100])
        let sparseKept = (0..<out.count).filter { out.labels[$0] == 0 && out.features[$0, 0] > 10 }.count
        #expect(sparseKept == 60, "the sparse cluster must be kept whole; kept \(sparseKept)")
    }

    @Test("OSS keeps every minority row and a majority group next to it, and drops the redundant inside of the majority")
    func oss() throws {
        var rng = Xoshiro256StarStar(seed: 3)
        var features = Matrix(rows: 200, columns: 3) { _, _ in Float(rng.nextNormal()) }             // majority inside
        features.appendRows(Matrix(rows: 5, columns: 3) { _, _ in 5 + Float(rng.nextNormal()) * 0.05 }) // majority by the minority
        features.appendRows(Matrix(rows: 40, columns: 3) { _, _ in 6.5 + Float(rng.nextNormal()) * 0.5 }) // minority
        let labels = Array(repeating: 0, count: 205) + Array(repeating: 1, count: 40)
        let data = LabeledMatrix(features: features, labels: labels, classNames: ["major", "minor"])
        let out = try OneSidedSelection().resample(data, using: &rng)
        #expect(out.classCounts[1] == 40)
        #expect(out.classCounts[0] <= 6, "the inside of the majority should be dropped: \(out.classCounts)")
        let border = (0..<out.count).filter { out.labels[$0] == 0 && out.features[$0, 0] > 4 }.count
        #expect(border >= 1, "the majority group beside the minority is a border the 1-NN rule misclassifies; it must stay")
    }

    @Test("a pipeline with *=N raises small classes and lowers large ones towards N; cleaning steps keep their rule")
    func pipeline() throws {
        let sample = ResamplerChecks.sample(seed: 7, counts: [300, 80, 20])
        var pipeline = try Catalog.resampler("smote+kmeans-under:clusters=5")
        pipeline.strategy = .counts([0: 100, 1: 100, 2: 100])
        var rng = Xoshiro256StarStar(seed: 4)
        let out = try pipeline.resample(sample.data, schema: sample.schema, using: &rng)
        #expect(out.classCounts == [100, 100, 100])
        #expect(pipeline.kind == .combination)
    }

    @Test("cluster centroids replaces the majority by exactly the minority's count of prototypes")
    func centroids() throws {
        let sample = ResamplerChecks.sample(seed: 8, counts: [120, 30, 10])
        for voting in ClusterCentroids.Voting.allCases {
            var rng = Xoshiro256StarStar(seed: 4)
            let out = try ClusterCentroids(voting: voting).resample(sample.data, schema: sample.schema, using: &rng)
            #expect(out.classCounts == [10, 10, 10])
        }
    }
}
