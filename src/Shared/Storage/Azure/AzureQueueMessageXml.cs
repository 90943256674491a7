using System.Globalization;
using System.Security;
using System.Xml.Linq;

namespace NodeOps.Storage.Azure;

/// <summary>The Queue service's XML: the body of Put Message and the list that Get Messages returns.</summary>
internal static class AzureQueueMessageXml
{
    /// <summary>One message as Get Messages returns it; <see cref="MessageText"/> is still base64.</summary>
    public sealed record ReceivedMessage(string MessageId, string PopReceipt, int DequeueCount, DateTimeOffset InsertionTime, string MessageText);

    public static byte[] PutBody(string messageText) =>
        System.Text.Encoding.UTF8.GetBytes(
            $"<?xml version=\"1.0\" encoding=\"utf-8\"?><QueueMessage><MessageText>{SecurityElement.Escape(messageText)}</MessageText></QueueMessage>");

    public static IReadOnlyList<ReceivedMessage> ParseList(string xml)
    {
        var root = XDocument.Parse(xml).Root;
        if (root is null)
        {
            return [];
        }

        return root.Elements("QueueMessage").Select(m => new ReceivedMessage(
            Required(m, "MessageId"),
            Required(m, "PopReceipt"),
            int.Parse(Required(m, "DequeueCount"), CultureInfo.InvariantCulture),
            DateTimeOffset.Parse(Required(m, "InsertionTime"), CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal),
            m.Element("MessageText")?.Value ?? "")).ToList();
    }

    private static string Required(XElement message, string name) =>
        message.Element(name)?.Value ?? throw new InvalidDataException($"The queue service returned a message without {name}.");
}
