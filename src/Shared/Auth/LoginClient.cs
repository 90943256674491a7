using System.Net;
using System.Net.Sockets;

namespace NodeOps.Auth;

/// <summary>Who the login limiter counts against: the client's address, or its /64 for IPv6.</summary>
public static class LoginClient
{
    /// <summary>
    /// An IPv6 client usually holds a whole /64 and could take a fresh address for every try, so the prefix is what
    /// gets counted; an IPv4-mapped address counts as the IPv4 address it is.
    /// </summary>
    public static string Of(IPAddress? address)
    {
        if (address is null)
        {
            return "unknown";
        }

        if (address.IsIPv4MappedToIPv6)
        {
            address = address.MapToIPv4();
        }

        if (address.AddressFamily != AddressFamily.InterNetworkV6 || IPAddress.IsLoopback(address))
        {
            return address.ToString();
        }

        var bytes = address.GetAddressBytes();
        Array.Clear(bytes, 8, 8);
        return new IPAddress(bytes) + "/64";
    }
}
