import BallastCore
import BallastLearn
import Foundation

/// One property a classifier broke in ``checkClassifier(_:on:seed:)``.
public struct ClassifierCheckFailure: Sendable, Equatable, CustomStringConvertible {
    /// Which property failed.
    public enum Check: String, Sendable, CaseIterable {
        /// The same seed gave different probabilities.
        case determinism
        /// Two fits with the same seed gave models that encode differently.
        case fitTwice
        /// `fit` changed the training data.
        case inputUntouched
        /// The model's class names or feature count differ from the training data's.
        case metadata
        /// Probabilities have the wrong shape, are not finite, lie outside [0, 1] or do not sum to 1.
        case probabilities
        /// A predicted label is outside `0..<classNames.count`.
        case labelsWithinClasses
        /// Predicting rows one at a time differs from predicting the batch.
        case rowByRow
        /// A model decoded from its JSON encoding predicts differently (or does not decode).
        case codableRoundTrip
        /// The model type is not in ``ClassifierModelRegistry`` (so `ballast train` cannot save it
        /// in a bundle), or wrapped in ``AnyClassifierModel``, encoded and decoded, it predicts
        /// differently.
        case erasedRoundTrip
        /// Training on one class did not throw `LearnError.singleClass`.
        case singleClass
        /// Training on no rows did not throw `LearnError.emptyData`.
        case emptyData
        /// A NaN feature did not throw `LearnError.nonFinite`.
        case nonFinite
        /// Rows of the wrong width at prediction did not throw `LearnError.featureCountMismatch`.
        case featureCountMismatch
        /// Fewer labels than rows did not throw `LearnError.labelCountMismatch`.
        case labelCountMismatch
        /// Fitting the valid data threw.
        case fit
    }

    /// The property.
    public let check: Check
    /// What was observed.
    public let message: String

    public var description: String { "\(check.rawValue): \(message)" }
}

/// Runs the common classifier checks (scikit-learn's `check_estimator` for Ballast) and returns the
/// properties `classifier` breaks; an empty list means it passed.
///
/// Checked: seeded determinism, fitting twice gives the same encoded model, the training data is left
/// untouched, the model keeps the data's class names and width, probabilities are finite with rows summing to 1 (tolerance 1e-4), predicted labels lie
/// within the classes, row-by-row prediction equals batch prediction (labels exactly, probabilities
/// within 1e-5), a JSON round-trip of the model predicts identically, and single class / empty data /
/// NaN / wrong feature count / label count mismatch throw the documented ``LearnError``.
/// - Parameters:
///   - classifier: the configured algorithm.
///   - data: valid training data with at least two classes and 20 rows.
///   - seed: seeds every fit.
/// - Returns: the failed checks, in the order they were run.
public func checkClassifier<C: Classifier>(_ classifier: C, on data: LabeledMatrix, seed: UInt64 = 42,
                                           requireRegistered: Bool = true) -> [ClassifierCheckFailure] {
    var failures: [ClassifierCheckFailure] = []
    func fail(_ check: ClassifierCheckFailure.Check, _ message: String) {
        failures.append(ClassifierCheckFailure(check: check, message: message))
    }
    // Deep copies: a fit that writes through the shared storage would change a plain copy too.
    let originalFeatures = data.features.storage.map { $0 }
    let originalLabels = data.labels.map { $0 }
    let model: C.Model
    let again: C.Model
    do {
        var rng = Xoshiro256StarStar(seed: seed)
        model = try classifier.fit(data, using: &rng)
        var rng2 = Xoshiro256StarStar(seed: seed)
        again = try classifier.fit(data, using: &rng2)
    } catch {
        fail(.fit, "fitting valid data threw \(error)")
        return failures
    }
    if data.features.storage != originalFeatures || data.labels != originalLabels {
        fail(.inputUntouched, "the training data changed during fit")
    }
    if model.classNames != data.classNames || model.featureCount != data.features.columns {
        fail(.metadata, "model has classes \(model.classNames) and \(model.featureCount) features; data has \(data.classNames) and \(data.features.columns)")
    }
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.sortedKeys]
    let encoded = try? encoder.encode(model)
    if encoded == nil || encoded != (try? encoder.encode(again)) {
        fail(.fitTwice, "two fits with seed \(seed) encode differently")
    }

    let probabilities: Matrix
    do {
        probabilities = try model.predictProbabilities(data.features)
        let p2 = try again.predictProbabilities(data.features)
        if probabilities != p2 { fail(.determinism, "two fits with seed \(seed) give different probabilities") }
    } catch {
        fail(.probabilities, "predicting the training rows threw \(error)")
        return failures
    }
    checkProbabilityMatrix(probabilities, rows: data.count, classes: model.classNames.count, fail: fail)

    do {
        let labels = try model.predict(data.features)
        if let bad = labels.first(where: { $0 < 0 || $0 >= model.classNames.count }) {
            fail(.labelsWithinClasses, "predicted label \(bad) is outside 0..<\(model.classNames.count)")
        }
        let rowsToCheck = Array(0..<min(data.count, 25))
        for r in rowsToCheck {
            let single = data.features.gatherRows([r])
            let p = try model.predictProbabilities(single)
            let l = try model.predict(single)
            let batchRow = probabilities.row(r)
            if l != [labels[r]] || p.rows != 1 || zip(p.storage, batchRow).contains(where: { abs($0 - $1) > 1e-5 }) {
                fail(.rowByRow, "row \(r) alone gives \(p.storage) (label \(l)), in the batch \(batchRow) (label \(labels[r]))")
                break
            }
        }
    } catch {
        fail(.rowByRow, "predicting single rows threw \(error)")
    }

    if let encoded {
        do {
            let decoded = try JSONDecoder().decode(C.Model.self, from: encoded)
            let p = try decoded.predictProbabilities(data.features)
            if p != probabilities || decoded.classNames != model.classNames || decoded.featureCount != model.featureCount {
                fail(.codableRoundTrip, "the decoded model predicts differently")
            }
        } catch {
            fail(.codableRoundTrip, "decoding or predicting with the decoded model threw \(error)")
        }
    }

    if requireRegistered {
        checkErasedRoundTrip(model, probabilities: probabilities, data: data, fail: fail)
    }
    checkErrors(classifier, model: model, data: data, seed: seed, fail: fail)
    return failures
}

/// The way a model bundle stores a model: type-erased by ``AnyClassifierModel`` (which needs the
/// type in ``ClassifierModelRegistry``), encoded, decoded, and predicting the same.
private func checkErasedRoundTrip(_ model: some ClassifierModel, probabilities: Matrix, data: LabeledMatrix,
                                  fail: (ClassifierCheckFailure.Check, String) -> Void) {
    do {
        let erased = try AnyClassifierModel(erasing: model)
        guard ClassifierModelRegistry.type(forKind: erased.kind) != nil else {
            fail(.erasedRoundTrip, "kind '\(erased.kind)' of \(type(of: model)) is not listed in ClassifierModelRegistry.types")
            return
        }
        let decoded = try JSONDecoder().decode(AnyClassifierModel.self, from: try JSONEncoder().encode(erased))
        if try decoded.predictProbabilities(data.features) != probabilities {
            fail(.erasedRoundTrip, "the model decoded through AnyClassifierModel predicts differently")
        }
    } catch {
        fail(.erasedRoundTrip, "\(type(of: model)) does not round-trip through AnyClassifierModel: \(error)")
    }
}

private func checkProbabilityMatrix(_ p: Matrix, rows: Int, classes: Int,
                                    fail: (ClassifierCheckFailure.Check, String) -> Void) {
    guard p.rows == rows && p.columns == classes else {
        fail(.probabilities, "shape \(p.rows)×\(p.columns), expected \(rows)×\(classes)")
        return
    }
    for r in 0..<rows {
        var sum: Double = 0
        for c in 0..<classes {
            let v = p[r, c]
            if !v.isFinite || v < 0 || v > 1 + 1e-6 {
                fail(.probabilities, "row \(r), class \(c): probability \(v) is not in [0, 1]")
                return
            }
            sum += Double(v)
        }
        if abs(sum - 1) > 1e-4 {
            fail(.probabilities, "row \(r): probabilities sum to \(sum), expected 1 ± 1e-4")
            return
        }
    }
}

private func checkErrors<C: Classifier>(_ classifier: C, model: C.Model, data: LabeledMatrix, seed: UInt64,
                                        fail: (ClassifierCheckFailure.Check, String) -> Void) {
    func expectFitError(_ check: ClassifierCheckFailure.Check, _ input: LabeledMatrix, _ matches: (LearnError) -> Bool) {
        var rng = Xoshiro256StarStar(seed: seed)
        do {
            _ = try classifier.fit(input, using: &rng)
            fail(check, "fit did not throw")
        } catch let error as LearnError where matches(error) {
        } catch {
            fail(check, "fit threw \(error) instead")
        }
    }
    var single = data
    single.labels = Array(repeating: data.labels.first ?? 0, count: data.count)
    expectFitError(.singleClass, single) { if case .singleClass = $0 { return true } else { return false } }

    let empty = LabeledMatrix(features: Matrix(rows: 0, columns: data.features.columns), labels: [], classNames: data.classNames)
    expectFitError(.emptyData, empty) { $0 == .emptyData }

    var nan = data
    nan.features[min(3, data.count - 1), 0] = .nan
    expectFitError(.nonFinite, nan) { if case .nonFinite = $0 { return true } else { return false } }

    var short = data
    short.labels.removeLast()
    expectFitError(.labelCountMismatch, short) { if case .labelCountMismatch = $0 { return true } else { return false } }

    let wide = Matrix(rows: 2, columns: data.features.columns + 1)
    do {
        _ = try model.predictProbabilities(wide)
        fail(.featureCountMismatch, "predicting \(wide.columns)-column rows did not throw")
    } catch let error as LearnError {
        if case .featureCountMismatch = error {} else { fail(.featureCountMismatch, "threw \(error) instead") }
    } catch {
        fail(.featureCountMismatch, "threw \(error) instead")
    }
}
