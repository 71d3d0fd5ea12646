using CertTokenPortal.Components.Pages.Tokens;
using CertTokenPortal.Core.Tokens;
using MudBlazor;

namespace CertTokenPortal.Tests.Components.Pages.Tokens;

[Trait("Category", "Component")]
public sealed class TokenBadgesTests
{
    private static readonly DateTime Now = new(2030, 6, 1, 12, 0, 0, DateTimeKind.Utc);

    [Theory]
    [InlineData(0.5, "expires today", "Error")]
    [InlineData(1.5, "expires in 1 day", "Error")]
    [InlineData(6.9, "expires in 6 days", "Error")]
    [InlineData(7.0, "expires in 7 days", "Warning")]
    [InlineData(29.9, "expires in 29 days", "Warning")]
    [InlineData(30.0, "expires in 30 days", "Success")]
    [InlineData(400, "expires in 400 days", "Success")]
    [InlineData(-0.1, "expired", "Default")]
    public void Expiry_DaysLeft_TextAndColour(double days, string text, string color)
    {
        var token = Token(notAfter: Now.AddDays(days));

        Assert.Equal((text, Enum.Parse<Color>(color)), TokenBadges.Expiry(token, Now));
    }

    [Fact]
    public void Expiry_NoCertificate_IsGrey()
    {
        Assert.Equal(("no certificate", Color.Default), TokenBadges.Expiry(Token(notAfter: null, state: RolloutState.Pending), Now));
    }

    [Fact]
    public void Expiry_RevokedSoon_IsGreyNotRed()
    {
        Assert.Equal(("expires in 3 days", Color.Default), TokenBadges.Expiry(Token(notAfter: Now.AddDays(3.5), revoked: true), Now));
    }

    [Theory]
    [InlineData(RolloutState.Enrolled, false, "enrolled")]
    [InlineData(RolloutState.Enrolled, true, "revoked")]
    [InlineData(RolloutState.Pending, false, "pending")]
    [InlineData(RolloutState.Denied, false, "denied")]
    [InlineData(RolloutState.Failed, false, "failed")]
    public void StateName_RevokedWinsOverEnrolment(RolloutState state, bool revoked, string name)
    {
        Assert.Equal(name, TokenBadges.StateName(Token(Now, state, revoked)));
    }

    private static TokenView Token(DateTime? notAfter, RolloutState state = RolloutState.Enrolled, bool revoked = false) =>
        TokenView.From(new CertificateToken
        {
            Serial = "CRT00000001", OwnerUserName = "alice", OwnerRealm = "default", RolloutState = state, Revoked = revoked,
            NotAfter = notAfter,
        });
}
