import BallastLearn
import Testing

/// Names, parameters and their errors, as the command line sees them.
@Suite("Catalog")
struct CatalogTests {
    @Test("specifications parse to a canonical form")
    func specs() throws {
        let spec = try AlgorithmSpec(parsing: " SMOTE : k=3 , typed=false ")
        #expect(spec.name == "smote" && spec.parameters == ["k": "3", "typed": "false"])
        #expect(spec.description == "smote:k=3,typed=false")
        #expect(throws: CatalogError.self) { try AlgorithmSpec(parsing: "smote:k") }
        #expect(throws: CatalogError.self) { try AlgorithmSpec(parsing: ":k=3") }
        #expect(throws: CatalogError.self) { try AlgorithmSpec(parsing: "smote:k=3,k=4") }
    }

    @Test("unknown names, unknown parameters and bad values are errors that list what is accepted")
    func errors() throws {
        do { _ = try Catalog.resampler("smoot"); Issue.record("no error") } catch let e as CatalogError {
            #expect(e.description.contains("smote") && e.description.contains("smoot"))
        }
        do { _ = try Catalog.resampler("smote:kk=3"); Issue.record("no error") } catch let e as CatalogError {
            #expect(e == .unknownParameter(algorithm: "smote", parameter: "kk", known: ["strategy", "k", "typed", "knn-partition"]))
        }
        #expect(throws: CatalogError.invalidValue(algorithm: "smote", parameter: "k", value: "0", expected: "an integer in 1...10000")) {
            try Catalog.resampler("smote:k=0")
        }
        #expect(throws: CatalogError.self) { try Catalog.resampler("smote++oss") }
    }

    @Test("parameters reach the configuration; aliases and pipelines resolve")
    func parameters() throws {
        let b = try #require(try Catalog.resampler("bsmote:kind=2,k=7,m=12") as? BorderlineSMOTE)
        #expect(b.variant == .two && b.k == 7 && b.m == 12)
        let p = try #require(try Catalog.resampler("ros+kmeans-under:clusters=9+oss") as? ResamplingPipeline)
        #expect(p.steps.count == 3 && (p.steps[1] as? KMeansUnderSampler)?.clusters == 9)
        #expect(Catalog.resamplers.allSatisfy { !$0.summary.isEmpty })
        #expect(Catalog.resamplers.first { $0.name == "smote" }?.parameters.map(\.name) == ["strategy", "k", "typed", "knn-partition"])
    }

    @Test("optional numbers show their keyword, not a -1 sentinel; the keyword, a value or a legacy negative number parse")
    func optionalNumbers() throws {
        let defaults = Catalog.resamplers.flatMap(\.parameters) + Catalog.classifiers.flatMap(\.parameters)
            + Catalog.generators.flatMap(\.parameters)
        #expect(defaults.filter { $0.defaultValue.hasPrefix("-") }.map(\.name) == [])
        #expect(Catalog.resamplers.first { $0.name == "random-over" }?.parameters.first { $0.name == "shrinkage" }?.defaultValue == "none")
        #expect(Catalog.resamplers.first { $0.name == "kmeans-smote" }?.parameters.first { $0.name == "balance-threshold" }?.defaultValue == "auto")
        #expect(try #require(try Catalog.resampler("ros") as? RandomOverSampler).shrinkage == nil)
        #expect(try #require(try Catalog.resampler("ros:shrinkage=none") as? RandomOverSampler).shrinkage == nil)
        #expect(try #require(try Catalog.resampler("ros:shrinkage=0.5") as? RandomOverSampler).shrinkage == 0.5)
        #expect(try #require(try Catalog.resampler("ros:shrinkage=-1") as? RandomOverSampler).shrinkage == nil)
        #expect(try #require(try Catalog.resampler("kmeans-smote:balance-threshold=auto") as? KMeansSMOTE).balanceThreshold == nil)
        #expect(try #require(try Catalog.resampler("kmeans-smote:balance-threshold=0.3") as? KMeansSMOTE).balanceThreshold == 0.3)
        #expect(throws: CatalogError.invalidValue(algorithm: "kmeans-smote", parameter: "balance-threshold", value: "2",
                                                  expected: "auto or a number in 0.0...1.0")) {
            try Catalog.resampler("kmeans-smote:balance-threshold=2")
        }
        #expect(throws: CatalogError.self) { try Catalog.resampler("ros:shrinkage=lots") }
    }
}
