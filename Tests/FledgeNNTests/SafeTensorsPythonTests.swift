import FledgeNN
import FledgeTensor
import Foundation
import Testing

/// Cross-checks with Python's `safetensors` package: files Fledge writes load there value for value
/// (and re-serialise to the same bytes), and files Python writes load in Fledge.
///
/// Needs `python3` with `safetensors` and `numpy` (`pip install safetensors numpy`). When they are
/// missing the tests fail with that instruction, unless FLEDGE_SKIP_PYTHON_TESTS=1 skips them.
@Suite(.enabled(if: ProcessInfo.processInfo.environment["FLEDGE_SKIP_PYTHON_TESTS"] != "1",
                "FLEDGE_SKIP_PYTHON_TESTS=1"))
struct SafeTensorsPythonTests {
    var generator = SeededGenerator(seed: 3)

    @Test mutating func pythonReadsAModelFledgeSavesBitForBit() throws {
        let model = MLP(inputSize: 5, layers: [4], outputSize: 3, normalization: .batch, seed: 3)
        _ = model(Tensor.normal([6, 5], generator: &generator))  // moves the BatchNorm running statistics
        let extra = Linear(weight: Tensor([[Float.greatestFiniteMagnitude, -0.0, Float.leastNonzeroMagnitude]]),
                           bias: Tensor([-1.25]))
        let directory = temporaryURL("python-read")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let file = directory.appendingPathComponent("model.safetensors")
        var tensors = model.stateDict()
        for (name, tensor) in extra.stateDict() { tensors["extreme." + name] = tensor }
        #expect(tensors.count == 11)
        // One metadata key: the reference writer keeps metadata in a hash map, so with several keys
        // its own byte order varies from run to run and could not be compared.
        try SafeTensors.write(tensors, metadata: ["format": "pt"], to: file)
        // Expected values travel as float bit patterns so the comparison is exact.
        let expected = tensors.mapValues { ["shape": $0.shape.dimensions, "bits": $0.scalars.map { Int($0.bitPattern) }] }
        let expectedURL = directory.appendingPathComponent("expected.json")
        try JSONSerialization.data(withJSONObject: expected).write(to: expectedURL)

        let script = """
        import json, sys
        import numpy as np
        from safetensors import safe_open
        from safetensors.numpy import load_file, save
        path, expected_path = sys.argv[1], sys.argv[2]
        expected = json.load(open(expected_path))
        tensors = load_file(path)
        assert sorted(tensors) == sorted(expected), (sorted(tensors), sorted(expected))
        for name, spec in expected.items():
            t = tensors[name]
            assert t.dtype == np.float32, (name, t.dtype)
            assert list(t.shape) == spec["shape"], (name, t.shape, spec["shape"])
            bits = np.array(spec["bits"], dtype=np.uint32).reshape(spec["shape"])
            assert np.array_equal(t.view(np.uint32), bits), name
        with safe_open(path, framework="np") as f:
            metadata = f.metadata()
        assert metadata == {"format": "pt"}, metadata
        assert save(tensors, metadata=metadata) == open(path, "rb").read(), "bytes differ from safetensors' own output"
        print("ok")
        """
        let output = try runPython(script, arguments: [file.path, expectedURL.path])
        #expect(output.trimmingCharacters(in: .whitespacesAndNewlines) == "ok")
    }

    @Test func fledgeLoadsAModelPythonWrites() throws {
        let directory = temporaryURL("python-write")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let modelFile = directory.appendingPathComponent("mlp.safetensors")
        let mixedFile = directory.appendingPathComponent("mixed.safetensors")
        let script = """
        import sys
        import numpy as np
        from safetensors.numpy import save_file
        save_file({
            "layers.0.weight": np.arange(12, dtype=np.float32).reshape(3, 4) / 7,
            "layers.0.bias": np.array([-1.5, 0.0, 2.25], dtype=np.float32),
            "layers.2.weight": np.linspace(-1, 1, 6, dtype=np.float32).reshape(2, 3),
            "layers.2.bias": np.array([0.125, -8.0], dtype=np.float32),
        }, sys.argv[1], metadata={"format": "pt"})
        save_file({
            "half": np.array([0.5, -3.0, 65504.0], dtype=np.float16),
            "double": np.array([[0.1, 1e-3]], dtype=np.float64),
            "steps": np.array(7, dtype=np.int64),
        }, sys.argv[2], metadata={"origin": "python"})
        """
        _ = try runPython(script, arguments: [modelFile.path, mixedFile.path])
        let model = MLP(inputSize: 4, layers: [3], outputSize: 2)
        try model.load(from: modelFile)
        let layers = model.layers
        #expect((layers[0] as! Linear).weight.value.scalars == (0..<12).map { Float($0) / 7 })
        #expect((layers[0] as! Linear).bias!.value.scalars == [-1.5, 0, 2.25])
        #expect((layers[2] as! Linear).weight.value.scalars == [-1, -0.6, -0.2, 0.2, 0.6, 1].map { Float($0) })
        #expect((layers[2] as! Linear).bias!.value.scalars == [0.125, -8])

        let (tensors, metadata) = try SafeTensors.readWithMetadata(from: mixedFile)
        #expect(metadata == ["origin": "python"])
        #expect(tensors["half"]!.scalars == [0.5, -3, 65504])
        #expect(tensors["double"]!.shape == [1, 2])
        #expect(tensors["double"]!.scalars == [Float(0.1), Float(1e-3)])
        #expect(tensors["steps"]!.shape == [] && tensors["steps"]!.item == 7)
    }

    /// Runs `python3 -c script arguments...`, returning stdout; a missing interpreter or package
    /// or a failing script becomes a clear error.
    private func runPython(_ script: String, arguments: [String]) throws -> String {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", "-c", script] + arguments
        let stdout = Pipe(), stderr = Pipe()
        process.standardOutput = stdout
        process.standardError = stderr
        do {
            try process.run()
        } catch {
            throw PythonUnavailable(message: "cannot start python3 (\(error)); install Python 3 with "
                + "`pip install safetensors numpy`, or set FLEDGE_SKIP_PYTHON_TESTS=1 to skip these tests")
        }
        let output = stdout.fileHandleForReading.readDataToEndOfFile()
        let errors = String(decoding: stderr.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        guard process.terminationStatus == 0 else {
            if errors.contains("ModuleNotFoundError") || process.terminationStatus == 127 {
                throw PythonUnavailable(message: "python3 with the safetensors and numpy packages is required "
                    + "(`pip install safetensors numpy`), or set FLEDGE_SKIP_PYTHON_TESTS=1 to skip: \(errors)")
            }
            throw PythonUnavailable(message: "the Python check failed:\n\(errors)")
        }
        return String(decoding: output, as: UTF8.self)
    }
}

/// Why a Python cross-check could not run or failed.
struct PythonUnavailable: Error, CustomStringConvertible {
    let message: String
    var description: String { message }
}
