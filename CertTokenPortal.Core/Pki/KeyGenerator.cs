using System.Security.Cryptography;

namespace CertTokenPortal.Core.Pki;

/// <summary>Generates key pairs for server-side enrolment with the fastest correct generator available.</summary>
public sealed class KeyGenerator
{
    /// <summary>A new key pair of the given spec (an <see cref="RSA"/> or <see cref="ECDsa"/>); the caller disposes it.</summary>
    public AsymmetricAlgorithm Generate(KeySpec spec) => throw new NotImplementedException("PKI engine issue");
}
