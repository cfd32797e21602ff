import BallastNN
import Testing

@Suite struct NNErrorTests {
    @Test func messageNamesParameterValueAndExpectation() {
        let error = NNError.invalidParameter(name: "learning-rate", value: "-1", expected: "a positive number")
        #expect(error.description == "learning-rate=-1 is invalid: expected a positive number")
    }
}
