using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Primitives;

namespace SurveyBackend.Intake;

/// <summary>
/// Who a request comes from, for the flood guard: the last entry of the configured header (the one our proxy wrote),
/// else the connection's address. Which header to trust in Azure: docs/deploy.md, "Client addresses, the flood guard
/// and Front Door".
/// </summary>
public static class ClientAddresses
{
    /// <summary>
    /// Written by the App Service front end in front of every Function App (Flex Consumption included), replacing any
    /// the client sent: the address it took the connection from, with its port (the Bicep default).
    /// </summary>
    public const string AppServiceHeader = "Client-IP";

    /// <summary>Written by Azure Front Door: the address of the TCP connection it took, which a client cannot choose.</summary>
    public const string FrontDoorHeader = "X-Azure-SocketIP";

    // Longer than any written form of an address with its port: longer entries are not read.
    private const int MaxEntryLength = 64;

    /// <summary>
    /// The client's address: the last entry of <paramref name="header"/> (the configured header's values; none when no
    /// header is configured) when it is an address, else <paramref name="connection"/>.
    /// </summary>
    public static IPAddress Of(StringValues header, IPAddress? connection)
    {
        if (header.Count > 0 && Parse(LastEntry(header[^1])) is { } forwarded) return forwarded;
        return connection is null ? IPAddress.None : Normalise(connection);
    }

    /// <summary>One entry as a proxy writes it, with or without a port; null when it is not an address.</summary>
    public static IPAddress? Parse(ReadOnlySpan<char> entry)
    {
        entry = entry.Trim().Trim('"');
        if (entry.IsEmpty || entry.Length > MaxEntryLength) return null;
        if (entry[0] == '[')
        {
            var close = entry.IndexOf(']');
            return close > 0 && IsPortOrNothing(entry[(close + 1)..]) ? ParseIPv6(entry[1..close]) : null;
        }
        var colon = entry.IndexOf(':');
        if (colon < 0) return ParseIPv4(entry);
        // More than one colon is IPv6, which needs brackets to carry a port; one is an IPv4 address and its port.
        if (entry.LastIndexOf(':') != colon) return ParseIPv6(entry);
        return IsPortOrNothing(entry[colon..]) ? ParseIPv4(entry[..colon]) : null;
    }

    /// <summary>
    /// The network the guard counts a client by: an IPv4 address itself; for IPv6, its /64, the smallest network a
    /// home or office LAN is given, inside which any device may pick new addresses at will.
    /// </summary>
    public static IPAddress Network(IPAddress address)
    {
        address = Normalise(address);
        if (address.AddressFamily != AddressFamily.InterNetworkV6) return address;
        Span<byte> bytes = stackalloc byte[16];
        address.TryWriteBytes(bytes, out _);
        bytes[8..].Clear();
        return new IPAddress(bytes);
    }

    private static ReadOnlySpan<char> LastEntry(string? value) =>
        value is null ? [] : value.AsSpan(value.LastIndexOf(',') + 1);

    /// <summary>An IPv4 client seen over IPv6 is the same client; a zone says nothing about who it is.</summary>
    private static IPAddress Normalise(IPAddress address) =>
        address.IsIPv4MappedToIPv6 ? address.MapToIPv4()
        : address.AddressFamily == AddressFamily.InterNetworkV6 && address.ScopeId != 0 ? new IPAddress(address.GetAddressBytes())
        : address;

    // Four decimal parts, 0-255, no leading zeros: IPAddress.TryParse also takes "1", "1.2", hex and octal parts.
    private static IPAddress? ParseIPv4(ReadOnlySpan<char> text)
    {
        Span<byte> bytes = stackalloc byte[4];
        for (var part = 0; part < 4; part++)
        {
            var end = part < 3 ? text.IndexOf('.') : text.Length;
            if (end is < 1 or > 3 || (end > 1 && text[0] == '0') || !int.TryParse(text[..end], System.Globalization.NumberStyles.None, null, out var value) || value > 255)
            {
                return null;
            }
            bytes[part] = (byte)value;
            text = part < 3 ? text[(end + 1)..] : [];
        }
        return new IPAddress(bytes);
    }

    private static IPAddress? ParseIPv6(ReadOnlySpan<char> text) =>
        text.Contains(':') && !text.Contains('[') && IPAddress.TryParse(text, out var address) && address.AddressFamily == AddressFamily.InterNetworkV6
            ? Normalise(address)
            : null;

    private static bool IsPortOrNothing(ReadOnlySpan<char> rest) =>
        rest.IsEmpty || (rest[0] == ':' && rest.Length is > 1 and <= 6
            && int.TryParse(rest[1..], System.Globalization.NumberStyles.None, null, out var port) && port <= 65535);
}
