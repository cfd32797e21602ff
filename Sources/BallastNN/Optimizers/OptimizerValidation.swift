/// Throws ``NNError/invalidParameter(name:value:expected:)`` unless `value` is finite and `accepted`
/// holds for it.
///
/// - Parameters:
///   - name: the hyperparameter's name as the user wrote it (`"Adam.beta1"`).
///   - value: the value given.
///   - expected: what is accepted, for the message (`"a number in [0, 1)"`).
///   - accepted: the range test.
/// - Throws: ``NNError/invalidParameter(name:value:expected:)``.
func validateHyperparameter(_ name: String, _ value: Float, expected: String, _ accepted: (Float) -> Bool) throws {
    guard value.isFinite && accepted(value) else {
        throw NNError.invalidParameter(name: name, value: "\(value)", expected: expected)
    }
}
