using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace PrintFlow.Testing;

/// <summary>Self-signed certificates written as PKCS#12 files, as an operator would provide for the data-protection keys.</summary>
public static class TestCertificates
{
    /// <summary>Writes a new RSA certificate with its private key to a .pfx file in <paramref name="directory"/>; returns its path.</summary>
    public static string CreatePfx(string directory, string password = "test-password")
    {
        Directory.CreateDirectory(directory);
        using var rsa = RSA.Create(2048);
        var request = new CertificateRequest("CN=PrintFlow data protection (test)", rsa, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        using var certificate = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddYears(1));
        var path = Path.Combine(directory, $"keys-{Guid.NewGuid():N}.pfx");
        File.WriteAllBytes(path, certificate.Export(X509ContentType.Pfx, password));
        return path;
    }
}
