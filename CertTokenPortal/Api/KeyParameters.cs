using CertTokenPortal.Core.Tokens.Enrolment;

namespace CertTokenPortal.Api;

/// <summary>
/// Reads the key parameters <c>/token/init</c> and <c>/token/renew</c> share (<c>request</c>, <c>genkey</c>,
/// <c>keytype</c>, <c>keysize</c>, <c>curve</c>, <c>subject_components</c>, <c>pin</c>, <c>attestation</c>) into an
/// enrolment or a renewal, so that a renewal takes them exactly as an enrolment does.
/// </summary>
internal static class KeyParameters
{
    public static T Read<T>(ApiParameters p, T request) where T : KeyRequest =>
        // with on the base record clones the derived one, so the enrolment's or renewal's own fields are kept.
        (T)((KeyRequest)request with
        {
            Csr = p["request"],
            GenerateKey = p.Bool("genkey") == true,
            KeyType = p["keytype"],
            KeySize = p["keysize"],
            Curve = p["curve"],
            SubjectComponents = p["subject_components"],
            Pin = p["pin"],
            Attestation = p["attestation"],
        });
}
