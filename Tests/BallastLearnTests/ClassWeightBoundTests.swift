import BallastCore
import BallastLearn
import Testing

/// Explicit class weights are bounded (issue 18, defect 12): a weight of 3.5e38 overflowed Float
/// sums and left a model predicting the majority only.
@Suite("Class weight bounds")
struct ClassWeightBoundTests {
    @Test("weights above the bound are refused naming the class and the bound", arguments: [3.5e38, 1e300, 1e7])
    func refused(weight: Double) {
        let weights = ClassWeights.explicit([1: weight])
        do {
            _ = try weights.classWeights(labels: [0, 1, 1], classCount: 2)
            Issue.record("weight \(weight) was accepted")
        } catch let LearnError.invalidParameter(name, value, expected) {
            #expect(name == "class-weight" && value.contains("class 1") && expected.contains("\(Int(ClassWeights.maximumWeight))"))
        } catch {
            Issue.record("unexpected \(error)")
        }
    }

    @Test("the bound itself and ordinary weights are accepted")
    func accepted() throws {
        let w = try ClassWeights.explicit([0: 0.5, 1: ClassWeights.maximumWeight]).classWeights(labels: [0, 1], classCount: 2)
        #expect(w == [0.5, ClassWeights.maximumWeight])
    }
}
