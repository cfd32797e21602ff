import ArgumentParser
import BallastCore
import BallastData
import BallastEval
import BallastLearn
import Foundation

/// Exit statuses from `sysexits.h`, as documented in `ballast --help`.
enum ExitStatus {
    /// Bad usage: an invalid option or parameter value.
    static let usage: Int32 = 64
    /// Bad input data.
    static let data: Int32 = 65
    /// A file could not be read or written.
    static let io: Int32 = 74

    /// The status for an error thrown by the library.
    static func of(_ error: Error) -> Int32 {
        switch error {
        case let e as ErrorInFile: return of(e.underlying)
        case let e as DataError: return e.isIOError ? io : e.kind == .invalidOption ? usage : data
        case let e as LearnError:
            if case .invalidParameter = e { return usage }
            return data
        case ResamplingError.noRowsLeft: return data
        case is ValidationFailure, is CatalogError, is ResamplingError, is MemoryBudgetError: return usage
        case is BundleError, is PreprocessingError: return data
        case let e as FidelityError: return e.isUsageError ? usage : data
        case let e as ExperimentError:
            switch e {
            case .invalidSpec, .specSyntax, .specChanged, .shardChanged, .nothingToReport, .cannotReport: return usage
            case .corruptJournal, .classMismatch, .cannotMerge: return data
            case .stopped: return 75  // EX_TEMPFAIL: run again to continue
            }
        case is CocoaError, is POSIXError: return io
        default: return data
        }
    }
}

/// An error about the contents of a file whose own message does not name it (a missing column of
/// the records given to `predict`): shown as `path: message`, with the underlying exit status.
struct ErrorInFile: Error, CustomStringConvertible {
    let path: String
    let underlying: Error
    var description: String { "\(path): \(underlying)" }

    /// Runs `body`, naming `path` in a ``PreprocessingError`` it throws, or a ``DataError`` that does
    /// not name it already.
    static func naming<T>(_ path: String, _ body: () throws -> T) throws -> T {
        do {
            return try body()
        } catch let error as PreprocessingError {
            throw ErrorInFile(path: path, underlying: error)
        } catch let error as DataError where !error.description.hasPrefix(path) {
            throw ErrorInFile(path: path, underlying: error)
        }
    }
}

/// A usage problem found while running a command (after argument parsing).
struct ValidationFailure: Error, CustomStringConvertible {
    let description: String
    init(_ message: String) { description = message }
}

/// Runs a command body, translating library errors into a message on standard error and an exit
/// status (64 usage, 65 bad data, 74 I/O). Every command's work goes through here, so this is also
/// where its thread takes the process's nice value (``ThreadPriority``).
func reportingErrors(_ body: () throws -> Void) throws {
    ThreadPriority.adoptProcessNice()  // the command's thread keeps `nice -n N ballast …`
    do {
        try body()
    } catch let error as ExitCode {
        throw error
    } catch {
        Terminal.writeError("ballast: error: \(error)\n")
        throw ExitCode(ExitStatus.of(error))
    }
}
