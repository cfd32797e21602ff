import BallastCore
import BallastData
import BallastEval
import Foundation

/// The outcome of scoring submitted records with the active model.
struct Scored: Sendable {
    var model: LoadedModel
    var prediction: BundlePrediction
    var rows: Int
    var truth: [String]?

    /// `class: count` for the classes predicted at least once.
    var summary: String {
        zip(model.bundle.classNames, prediction.counts).filter { $0.1 > 0 }.map { "\($0.0): \($0.1)" }.joined(separator: ", ")
    }

    /// The probabilities of row `r`, keyed by class.
    func probabilities(row r: Int) -> [String: Double] {
        var out: [String: Double] = [:]
        for (c, name) in model.bundle.classNames.enumerated() {
            out[name] = (Double(prediction.probabilities[r, c]) * 1e6).rounded() / 1e6
        }
        return out
    }

    /// Unseen categories as text for pages (`protocol_type: 1`), or nil.
    var unseenText: String? {
        let items = prediction.unseenCategories.sorted { $0.key < $1.key }.map { "\($0.key): \($0.value)" }
        return items.isEmpty ? nil : items.joined(separator: ", ")
    }

    /// The CSV `ballast predict` writes.
    var csv: String { CSVWriter.render(prediction.table(truth: truth)) }
}

/// Why a scoring request failed, mapped to a status by the routes.
enum ScoringError: Error {
    /// No model is active (503).
    case noModel
    /// Field-level problems (422).
    case fields(FieldErrors)
    /// The file or records cannot be used (422), with the message.
    case unusable(String)
}

extension Scored {
    /// Scores decoded records.
    static func records(_ records: [[String: FieldValue]], model: LoadedModel, allowUnseen: Bool,
                        fieldName: (Int, String) -> String) throws -> Scored {
        switch model.decoder.decode(records, fieldName: fieldName, allowUnseen: allowUnseen) {
        case .failure(let errors): throw ScoringError.fields(errors)
        case .success(let table):
            do {
                return Scored(model: model, prediction: try model.bundle.predict(table), rows: records.count, truth: nil)
            } catch {
                throw ScoringError.unusable("\(error)")
            }
        }
    }

    /// Scores a CSV (or NSL-KDD) file's bytes, read exactly as `ballast predict` reads a file.
    static func file(_ bytes: ArraySlice<UInt8>, name: String, model: LoadedModel, temporaryDirectory: String) throws -> Scored {
        let path = temporaryDirectory + "/upload-" + Tokens.randomHex(bytes: 8) + ".csv"
        guard FileManager.default.createFile(atPath: path, contents: Data(bytes)) else {
            throw ScoringError.unusable("cannot store the upload for reading")
        }
        defer { try? FileManager.default.removeItem(atPath: path) }
        do {
            let records = try model.bundle.loadRecords(path: path)
            guard records.features.rowCount > 0 else { throw ScoringError.unusable("\(name): the file holds no records") }
            let prediction = try model.bundle.predict(records.features)
            return Scored(model: model, prediction: prediction, rows: records.features.rowCount, truth: records.labels)
        } catch let error as ScoringError {
            throw error
        } catch {
            throw ScoringError.unusable("\(name): " + "\(error)".replacingOccurrences(of: path, with: name))
        }
    }
}
