import ArgumentParser
import BallastData
import Foundation

/// Refuses outputs that would destroy an input (`balance same.csv -o same.csv`, `predict m.bundle x.csv
/// -o m.bundle`) or two outputs naming one file, before any work is done.
/// - Parameters:
///   - outputs: the output options and the paths given to them.
///   - inputs: how each input is named in messages (`TRAIN`, `the model`) and its path.
/// - Throws: `ValidationError` (exit 64) naming both.
func refuseOverwritingInputs(outputs: [(option: String, path: String)], inputs: [(name: String, path: String)]) throws {
    for (option, output) in outputs {
        for (name, input) in inputs where AtomicFile.isSameFile(output, input) {
            throw ValidationError("\(option) \(output) is the same file as \(name) \(input); write the output to another file")
        }
    }
    for (i, a) in outputs.enumerated() {
        for b in outputs[(i + 1)...] where AtomicFile.isSameFile(a.path, b.path)
            || URL(fileURLWithPath: a.path).standardizedFileURL == URL(fileURLWithPath: b.path).standardizedFileURL {
            throw ValidationError("\(a.option) and \(b.option) name the same file \(a.path); give them different files")
        }
    }
}
