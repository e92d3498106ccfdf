using Microsoft.Extensions.Options;
using SurveyBackend.Privacy;

namespace SurveyBackend.Tests.Unit.Privacy;

public sealed class RecipientSealTests
{
    private static RecipientSeal Seal(string secret = "a-test-secret-that-is-long-enough-for-hmac") =>
        new(Options.Create(new PrivacyOptions { Secret = secret }));

    [Fact]
    public void Open_ReturnsTheSealedAddress_AndTheBlobDoesNotContainIt()
    {
        var seal = Seal();
        var blob = seal.Seal("survey-a", "jo@example.gov.uk");
        Assert.DoesNotContain("jo@", blob, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("example", Convert.FromBase64String(blob).Select(b => (char)b).Aggregate("", (s, c) => s + c), StringComparison.Ordinal);
        Assert.Equal("jo@example.gov.uk", seal.Open("survey-a", blob));
    }

    [Fact]
    public void Seal_TwiceGivesDifferentBlobs_SoEqualAddressesCannotBeMatched()
    {
        var seal = Seal();
        Assert.NotEqual(seal.Seal("s", "jo@example.org"), seal.Seal("s", "jo@example.org"));
    }

    [Fact]
    public void Open_WithAnotherSurveyOrSecretOrTamperedBlob_ReturnsNull()
    {
        var blob = Seal().Seal("survey-a", "jo@example.org");
        Assert.Null(Seal().Open("survey-b", blob));
        Assert.Null(Seal("another-secret-that-is-long-enough-too-x").Open("survey-a", blob));
        var bytes = Convert.FromBase64String(blob);
        bytes[^1] ^= 1;
        Assert.Null(Seal().Open("survey-a", Convert.ToBase64String(bytes)));
        Assert.Null(Seal().Open("survey-a", "not base64!"));
        Assert.Null(Seal().Open("survey-a", "AAAA"));
    }
}

public sealed class RecipientSealPaddingTests
{
    private static readonly RecipientSeal Sealer = new(Options.Create(new PrivacyOptions { Secret = "a-test-secret-that-is-long-enough-for-hmac" }));

    [Fact]
    public void EveryAcceptedAddress_SealsToOneLength_WithOrWithoutALanguage()
    {
        var longest = new string('a', 64) + "@" + new string('d', EmailAddress.MaxLength - 64 - 1 - 4) + ".org";
        Assert.Equal(EmailAddress.MaxLength, longest.Length);
        var lengths = new[] { ("jo@x.org", (string?)null), ("jo@x.org", "cy"), (longest, "cy"), (longest, null), ("pat.o'brien@example.gov.uk", "en") }
            .Select(a => Sealer.SealAddress("survey", a.Item1, a.Item2)!.Length)
            .Distinct().ToList();
        Assert.Equal([4 * ((12 + RecipientSeal.PaddedBytes + 16 + 2) / 3)], lengths);
    }

    [Fact]
    public void OpenAddress_GivesBackTheNormalisedAddressAndLanguage_WithoutThePadding()
    {
        // Normalised (trimmed, NFC, the domain in punycode), the case as given: mail goes to the address as given.
        Assert.Equal(("Jo@Example.GOV.uk", "cy"), Sealer.OpenAddress("survey", Sealer.SealAddress("survey", " Jo@Example.GOV.uk ", "cy")!));
        Assert.Equal(("jö@xn--mller-kva.de", "cy"), Sealer.OpenAddress("survey", Sealer.SealAddress("survey", "jo\u0308@müller.de", "cy")!));
        Assert.Equal(("jo@example.gov.uk", (string?)null), Sealer.OpenAddress("survey", Sealer.SealAddress("survey", "jo@example.gov.uk", null)!));
        Assert.Null(Sealer.SealAddress("survey", "  ", "cy"));
    }

    [Fact]
    public void ASealMadeBeforePadding_StillOpens()
    {
        // The earlier seal: nonce, the bare address, tag; no padding.
        var key = System.Security.Cryptography.HKDF.DeriveKey(System.Security.Cryptography.HashAlgorithmName.SHA256,
            System.Text.Encoding.UTF8.GetBytes("a-test-secret-that-is-long-enough-for-hmac"), 32, info: System.Text.Encoding.UTF8.GetBytes("recipient-seal"));
        var plain = System.Text.Encoding.UTF8.GetBytes("cy:old@example.org");
        var sealedBytes = new byte[12 + plain.Length + 16];
        using (var aes = new System.Security.Cryptography.AesGcm(key, 16))
            aes.Encrypt(sealedBytes.AsSpan(0, 12), plain, sealedBytes.AsSpan(12, plain.Length), sealedBytes.AsSpan(12 + plain.Length), System.Text.Encoding.UTF8.GetBytes("survey"));
        Assert.Equal(("old@example.org", "cy"), Sealer.OpenAddress("survey", Convert.ToBase64String(sealedBytes)));
    }
}
