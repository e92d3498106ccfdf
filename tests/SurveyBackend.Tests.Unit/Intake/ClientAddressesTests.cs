using System.Net;
using Microsoft.AspNetCore.Http;
using SurveyBackend.Intake;

namespace SurveyBackend.Tests.Unit.Intake;

/// <summary>
/// The client's address as proxies write it: with and without ports, IPv4 and IPv6, IPv4 seen over IPv6, and what is
/// not an address at all (which leaves the connection's address).
/// </summary>
public sealed class ClientAddressesTests
{
    private const string Proxy = "10.0.0.4";

    [Theory]
    [InlineData("1.2.3.4", "1.2.3.4")]
    [InlineData("1.2.3.4:5678", "1.2.3.4")]
    [InlineData(" 1.2.3.4:65535 ", "1.2.3.4")]
    [InlineData("\"1.2.3.4:5678\"", "1.2.3.4")]
    [InlineData("2001:db8::1", "2001:db8::1")]
    [InlineData("[2001:db8::1]", "2001:db8::1")]
    [InlineData("[2001:db8::1]:443", "2001:db8::1")]
    [InlineData("2001:db8::1:443", "2001:db8::1:443")] // without brackets the last group is the address's, not a port
    [InlineData("::ffff:1.2.3.4", "1.2.3.4")]
    [InlineData("[::ffff:1.2.3.4]:80", "1.2.3.4")]
    [InlineData("0.0.0.0", "0.0.0.0")]
    public void Parse_ReadsTheAddress_WithoutItsPort(string entry, string expected) =>
        Assert.Equal(IPAddress.Parse(expected), ClientAddresses.Parse(entry));

    [Theory]
    [InlineData("")]
    [InlineData("unknown")]
    [InlineData("_hidden")]
    [InlineData("1")]
    [InlineData("1.2")]
    [InlineData("1.2.3")]
    [InlineData("1.2.3.4.5")]
    [InlineData("256.1.1.1")]
    [InlineData("01.2.3.4")]
    [InlineData("0x7f.0.0.1")]
    [InlineData("1.2.3.4:")]
    [InlineData("1.2.3.4:65536")]
    [InlineData("1.2.3.4:80:80")]
    [InlineData("1.2.3.4:http")]
    [InlineData(":5678")]
    [InlineData("[2001:db8::1")]
    [InlineData("[2001:db8::1]:")]
    [InlineData("[2001:db8::1]443")]
    [InlineData("[1.2.3.4]:80")]
    [InlineData("[[2001:db8::1]]")]
    [InlineData("2001:db8::1::2")]
    [InlineData("example.org:443")]
    [InlineData("1.2.3.4; DROP TABLE")]
    [InlineData("1111111111111111111111111111111111111111111111111111111111111111111111")]
    public void Parse_RefusesWhatIsNotAnAddress(string entry) => Assert.Null(ClientAddresses.Parse(entry));

    [Theory]
    [InlineData("1.1.1.1, 203.0.113.9:50123", "203.0.113.9")]
    [InlineData("1.1.1.1,[2001:db8::7]:443", "2001:db8::7")]
    [InlineData("2001:db8::7", "2001:db8::7")]
    public void Of_WithTheHeader_TakesItsLastEntry(string forwarded, string expected) =>
        Assert.Equal(IPAddress.Parse(expected), Of(Request(Proxy, ("X-Forwarded-For", forwarded)), "X-Forwarded-For"));

    [Fact]
    public void Of_WithTheHeaderTwice_TakesTheLastLinesLastEntry() =>
        Assert.Equal(IPAddress.Parse("203.0.113.9"),
            Of(Request(Proxy, ("X-Forwarded-For", "1.1.1.1"), ("X-Forwarded-For", "2.2.2.2, 203.0.113.9:1")), "X-Forwarded-For"));

    [Theory]
    [InlineData("1.2.3.4, garbage")]
    [InlineData("1.2.3.4,")]
    [InlineData("")]
    public void Of_WhenTheLastEntryIsNotAnAddress_TakesTheConnections(string forwarded) =>
        Assert.Equal(IPAddress.Parse(Proxy), Of(Request(Proxy, ("X-Forwarded-For", forwarded)), "X-Forwarded-For"));

    [Fact]
    public void Of_ReadsOnlyTheConfiguredHeader()
    {
        var request = Request(Proxy, ("X-Forwarded-For", "203.0.113.9"), ("Client-IP", "198.51.100.7:61598"));

        Assert.Equal(IPAddress.Parse(Proxy), Of(request, null));
        Assert.Equal(IPAddress.Parse(Proxy), Of(request, ""));
        Assert.Equal(IPAddress.Parse("198.51.100.7"), Of(request, ClientAddresses.AppServiceHeader));
        Assert.Equal(IPAddress.Parse(Proxy), Of(request, ClientAddresses.FrontDoorHeader));
    }

    [Fact]
    public void Of_AnIPv4ConnectionSeenOverIPv6_IsTheIPv4Address() =>
        Assert.Equal(IPAddress.Parse("192.0.2.10"), Of(Request("::ffff:192.0.2.10"), null));

    [Theory]
    [InlineData("2001:db8:1:2:aaaa:bbbb:cccc:dddd", "2001:db8:1:2::")]
    [InlineData("2001:db8:1:2::1", "2001:db8:1:2::")]
    [InlineData("::ffff:192.0.2.10", "192.0.2.10")]
    [InlineData("192.0.2.10", "192.0.2.10")]
    public void Network_IsTheIPv4Address_OrTheIPv6Slash64(string address, string network) =>
        Assert.Equal(IPAddress.Parse(network), ClientAddresses.Network(IPAddress.Parse(address)));

    /// <summary>As the intake gate calls it: the configured header's values, and the connection's address.</summary>
    private static IPAddress Of(HttpRequest request, string? header) =>
        ClientAddresses.Of(request.Headers[header ?? ""], request.HttpContext.Connection.RemoteIpAddress);

    private static HttpRequest Request(string connection, params (string Name, string Value)[] headers)
    {
        var context = new DefaultHttpContext();
        context.Connection.RemoteIpAddress = IPAddress.Parse(connection);
        foreach (var group in headers.GroupBy(h => h.Name)) context.Request.Headers[group.Key] = group.Select(h => h.Value).ToArray();
        return context.Request;
    }
}
