import BallastCore
import BallastData
import BallastLearn
import Foundation

/// Everything needed to use a trained detector on new records, in one file: the fitted
/// preprocessing, the fitted model, the class names, a fingerprint of the training data and the
/// options used.
///
/// File layout: a first line `BALLAST-BUNDLE <format version>`, a second line `sha256 <hex digest of
/// the payload>`, then the JSON payload. A truncated or altered file fails the checksum; a file from
/// a newer format version is refused with a message saying so.
public struct ModelBundle: Sendable, Codable {
    /// The format version this build writes and reads.
    public static let currentFormatVersion = 1
    /// The first bytes of every bundle.
    public static let magic = "BALLAST-BUNDLE"

    /// The format version of the file.
    public var formatVersion: Int
    /// The Ballast version that wrote it.
    public var ballastVersion: String
    /// The fitted preprocessing (raw records → feature matrix).
    public var preprocessor: FittedPreprocessor
    /// The fitted detector.
    public var model: AnyClassifierModel
    /// Class names, indexed by label.
    public var classNames: [String]
    /// What the model was trained on.
    public var training: TrainingFingerprint
    /// How it was trained.
    public var options: TrainingOptions

    /// Creates a bundle.
    public init(preprocessor: FittedPreprocessor, model: AnyClassifierModel, classNames: [String],
                training: TrainingFingerprint, options: TrainingOptions, ballastVersion: String = BallastVersion.current) {
        self.formatVersion = Self.currentFormatVersion
        self.ballastVersion = ballastVersion
        self.preprocessor = preprocessor
        self.model = model
        self.classNames = classNames
        self.training = training
        self.options = options
    }

    /// The file bytes: header, checksum line, JSON payload.
    /// - Throws: encoding errors (not expected for valid models).
    public func encoded() throws -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        encoder.nonConformingFloatEncodingStrategy = .convertToString(positiveInfinity: "inf", negativeInfinity: "-inf", nan: "nan")
        let payload = try encoder.encode(self)
        var out = Data("\(Self.magic) \(formatVersion)\nsha256 \(SHA256.hex(payload))\n".utf8)
        out.append(payload)
        return out
    }

    /// Writes the bundle atomically (temporary file + rename).
    /// - Throws: ``DataError`` (`unwritable`).
    public func write(to path: String) throws {
        try AtomicFile.write(try encoded(), to: path)
    }

    /// Reads and verifies a bundle file.
    /// - Throws: ``BundleError`` for a file that is not a bundle, is from a newer format, fails its
    ///   checksum or cannot be decoded; ``DataError`` when the file cannot be read.
    public static func read(from path: String) throws -> ModelBundle {
        let bytes: Data
        do {
            bytes = try Data(contentsOf: URL(fileURLWithPath: path))
        } catch {
            let exists = FileManager.default.fileExists(atPath: path)
            throw DataError(exists ? .unreadable : .fileNotFound, "\(path): cannot read the model bundle\(exists ? "" : ": no such file")")
        }
        return try decode(bytes, path: path)
    }

    /// Verifies and decodes bundle bytes.
    /// - Parameter path: the file name for messages.
    /// - Throws: ``BundleError``.
    public static func decode(_ bytes: Data, path: String) throws -> ModelBundle {
        let lines = bytes.split(separator: UInt8(ascii: "\n"), maxSplits: 2, omittingEmptySubsequences: false)
        guard lines.count == 3, let header = String(data: Data(lines[0]), encoding: .utf8), header.hasPrefix(magic + " ") else {
            throw BundleError.notABundle(path: path)
        }
        guard let version = Int(header.dropFirst(magic.count + 1)) else { throw BundleError.notABundle(path: path) }
        guard version <= currentFormatVersion else {
            throw BundleError.newerFormat(path: path, found: version, supported: currentFormatVersion)
        }
        guard let sumLine = String(data: Data(lines[1]), encoding: .utf8), sumLine.hasPrefix("sha256 ") else {
            throw BundleError.notABundle(path: path)
        }
        let payload = Data(lines[2])
        guard SHA256.hex(payload) == sumLine.dropFirst(7) else { throw BundleError.checksumMismatch(path: path) }
        let decoder = JSONDecoder()
        decoder.nonConformingFloatDecodingStrategy = .convertFromString(positiveInfinity: "inf", negativeInfinity: "-inf", nan: "nan")
        do {
            let bundle = try decoder.decode(ModelBundle.self, from: payload)
            guard bundle.formatVersion == version else {
                throw BundleError.inconsistent(path: path, reason: "formatVersion \(bundle.formatVersion) in the payload differs from the header's \(version)")
            }
            guard bundle.model.featureCount == bundle.preprocessor.outputWidth else {
                throw BundleError.inconsistent(path: path, reason: "the model's featureCount \(bundle.model.featureCount) differs from the \(bundle.preprocessor.outputWidth) columns the preprocessing outputs")
            }
            guard bundle.model.classNames == bundle.classNames else {
                throw BundleError.inconsistent(path: path, reason: "the model's classNames \(bundle.model.classNames) differ from the bundle's classNames \(bundle.classNames)")
            }
            return bundle
        } catch let error as BundleError {
            throw error
        } catch let error as DecodingError {
            throw BundleError.undecodable(path: path, reason: Self.describe(error))
        } catch {
            throw BundleError.undecodable(path: path, reason: "\(error)")
        }
    }

    /// A decoding error as `field.path: what is wrong` (the payload's keys, array positions in brackets).
    static func describe(_ error: DecodingError) -> String {
        func field(_ path: [any CodingKey]) -> String {
            let text = path.map { $0.intValue.map { "[\($0)]" } ?? ".\($0.stringValue)" }.joined()
            return text.hasPrefix(".") ? String(text.dropFirst()) : text.isEmpty ? "the payload" : text
        }
        switch error {
        case let .dataCorrupted(context): return "\(field(context.codingPath)): \(context.debugDescription)"
        case let .keyNotFound(key, context): return "\(field(context.codingPath + [key])): missing"
        case let .typeMismatch(type, context): return "\(field(context.codingPath)): expected \(type) (\(context.debugDescription))"
        case let .valueNotFound(type, context): return "\(field(context.codingPath)): expected \(type), found null"
        @unknown default: return "\(error)"
        }
    }
}

/// The running Ballast version, written into bundles and reports.
public enum BallastVersion {
    /// The version string.
    public static let current = "0.2.0"
}

/// A summary of the training data that identifies it without storing it.
public struct TrainingFingerprint: Sendable, Codable, Equatable {
    /// Where it came from (a path, or "simulated").
    public var source: String
    /// Rows before rebalancing.
    public var rows: Int
    /// Raw feature columns.
    public var columns: [String]
    /// Rows per class before rebalancing.
    public var classCounts: [Int]
    /// Rows per class the model was fitted on (after rebalancing).
    public var fittedClassCounts: [Int]
    /// SHA-256 of the preprocessed training matrix and labels (before rebalancing).
    public var sha256: String

    /// Fingerprints preprocessed training data.
    public init(source: String, columns: [String], data: LabeledMatrix, fittedClassCounts: [Int]) {
        self.source = source
        self.rows = data.count
        self.columns = columns
        self.classCounts = data.classCounts
        self.fittedClassCounts = fittedClassCounts
        var h = SHA256()
        data.features.storage.withUnsafeBytes { h.update($0) }
        data.labels.withUnsafeBytes { h.update($0) }
        self.sha256 = h.finalize().map { String(format: "%02x", $0) }.joined()
    }
}

/// The options a model was trained with, so a run can be repeated.
public struct TrainingOptions: Sendable, Codable, Equatable {
    /// The classifier specification (`gbdt:rounds=200`).
    public var model: String
    /// The resampler specification, if any.
    public var balance: String?
    /// The seed.
    public var seed: UInt64
    /// The dataset format (`nsl-kdd`, `csv`).
    public var format: String
    /// The label column of a CSV (nil for NSL-KDD).
    public var labelColumn: String?
    /// The NSL-KDD label mode.
    public var labelMode: String
    /// The field delimiter of a CSV training file (`nil`: a comma, as in bundles written before it
    /// was recorded), which ``ModelBundle/loadRecords(path:)`` reads new records with.
    public var delimiter: String?
    /// The fraction of training rows that kept their labels (`--labelled-fraction`), if any.
    public var labelledFraction: Double?
    /// Unlabelled rows the detector was given (`nil`: none).
    public var unlabelledRows: Int?

    /// Creates the options record.
    public init(model: String, balance: String?, seed: UInt64, format: String, labelColumn: String?, labelMode: String,
                delimiter: String? = nil) {
        self.model = model
        self.balance = balance
        self.seed = seed
        self.format = format
        self.labelColumn = labelColumn
        self.labelMode = labelMode
        self.delimiter = delimiter
    }
}

/// A model bundle that cannot be used.
public enum BundleError: Error, Equatable, CustomStringConvertible {
    /// The file does not start with the bundle header.
    case notABundle(path: String)
    /// The file was written by a newer Ballast.
    case newerFormat(path: String, found: Int, supported: Int)
    /// The payload does not match its checksum.
    case checksumMismatch(path: String)
    /// The payload is not a valid bundle.
    case undecodable(path: String, reason: String)
    /// The parts of the bundle do not fit together.
    case inconsistent(path: String, reason: String)

    public var description: String {
        switch self {
        case let .notABundle(path): return "\(path): not a Ballast model bundle (expected a first line '\(ModelBundle.magic) N'; train one with `ballast train`)"
        case let .newerFormat(path, found, supported):
            return "\(path): bundle format version \(found) is newer than this ballast supports (≤ \(supported)); upgrade ballast to read it"
        case let .checksumMismatch(path): return "\(path): checksum mismatch: the bundle is truncated or was altered"
        case let .undecodable(path, reason): return "\(path): the bundle cannot be decoded: \(reason)"
        case let .inconsistent(path, reason): return "\(path): inconsistent bundle: \(reason)"
        }
    }
}
