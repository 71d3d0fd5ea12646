using System.Security.Cryptography;

namespace CertTokenPortal.Core.Pki;

/// <summary>Certificate serial numbers: 128 random bits, positive, always 16 bytes long.</summary>
internal static class SerialNumbers
{
    public static byte[] New()
    {
        var serial = RandomNumberGenerator.GetBytes(16);
        // Positive (high bit clear) and never a leading zero byte, so the DER INTEGER is exactly these 16 bytes and
        // every tool prints the same hex the ledger stores.
        serial[0] = (byte)((serial[0] & 0x7F) | 0x01);
        return serial;
    }
}
