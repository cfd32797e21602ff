import ArgumentParser
import BallastServer
import Foundation

/// `ballast serve`: the web application and JSON API.
struct ServeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve",
        abstract: "Serve the web application and JSON API: accounts, a form built from the model, batch scoring, model registry.",
        discussion: """
            The database (SQLite, WAL), model bundles and uploads live under --data-dir. The first \
            account created becomes the administrator. With no --model and an empty registry, a \
            demo model is trained on simulated traffic at first start.

            Examples:
              ballast serve                                  # http://127.0.0.1:8080, demo model
              ballast serve --model gbdt.bundle --port 9000 --data-dir /var/lib/ballast
              ballast serve --no-signup                      # only the first account may sign up
            """
    )

    @Option(help: "A model bundle to register and activate (from `ballast train`).")
    var model: String?

    @Option(help: "The address to listen on.")
    var host = "127.0.0.1"

    @Option(help: "The TCP port.")
    var port = 8080

    @Option(name: .customLong("data-dir"), help: "Where the database and model bundles are kept.")
    var dataDirectory = "ballast-data"

    @Flag(name: .customLong("no-signup"), help: "Close registration (the first account can still be created).")
    var noSignup = false

    @Option(name: .customLong("max-upload-mb"), help: "The largest upload (bundle or CSV) accepted, in MiB.")
    var maxUploadMB = 64

    @Flag(name: .customLong("secure-cookies"), help: "Mark cookies Secure (when served behind TLS).")
    var secureCookies = false

    func validate() throws {
        guard (0...65535).contains(port) else { throw ValidationError("--port \(port): expected 0...65535") }
        guard (1...4096).contains(maxUploadMB) else { throw ValidationError("--max-upload-mb \(maxUploadMB): expected 1...4096") }
    }

    func run() async throws {
        let configuration = ServerConfiguration(host: host, port: port, dataDirectory: dataDirectory, modelPath: model,
                                                signupOpen: !noSignup, maxUploadBytes: maxUploadMB << 20, secureCookies: secureCookies)
        let service: BallastService
        do {
            service = try await BallastService.open(configuration) { Terminal.writeError("ballast serve: \($0)\n") }
        } catch {
            Terminal.writeError("ballast: error: \(error)\n")
            throw ExitCode(ExitStatus.of(error))
        }
        Terminal.writeError("ballast serve: listening on http://\(host):\(port) (data in \(dataDirectory))\n")
        try await service.run()
    }
}
