using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace CreditPortal.Api;

/// <summary>
/// The API's JSON, generated at build time (no reflection on the hot path): camelCase, enums as their
/// names, instants ISO-8601 with offset, strict numbers (a quantity of 1.5, "5" or 1e30 is refused).
/// </summary>
[JsonSourceGenerationOptions(JsonSerializerDefaults.Web, UseStringEnumConverter = true, NumberHandling = JsonNumberHandling.Strict,
    ReadCommentHandling = JsonCommentHandling.Disallow)]
[JsonSerializable(typeof(ApiProblem))]
[JsonSerializable(typeof(WebhookBody))]
[JsonSerializable(typeof(List<WebhookAnswer>))]
[JsonSerializable(typeof(CreatedWebhookAnswer))]
[JsonSerializable(typeof(PageAnswer<WebhookDeliveryAnswer>))]
[JsonSerializable(typeof(ConsumptionBody))]
[JsonSerializable(typeof(ConsumptionAnswer))]
[JsonSerializable(typeof(PreviewAnswer))]
[JsonSerializable(typeof(PageAnswer<ConsumptionItem>))]
[JsonSerializable(typeof(OrderBody))]
[JsonSerializable(typeof(ChargeNowBody))]
[JsonSerializable(typeof(ChannelBody))]
[JsonSerializable(typeof(OrderAnswer))]
[JsonSerializable(typeof(ChargeNowQuoteAnswer))]
[JsonSerializable(typeof(WalletAnswer))]
[JsonSerializable(typeof(PlanBody))]
[JsonSerializable(typeof(PlanAnswer))]
[JsonSerializable(typeof(NameBody))]
[JsonSerializable(typeof(CreateKeyBody))]
[JsonSerializable(typeof(KeyCapBody))]
[JsonSerializable(typeof(ApiKeyAnswer))]
[JsonSerializable(typeof(CancelledAnswer))]
[JsonSerializable(typeof(IdAnswer))]
[JsonSerializable(typeof(List<ListAnswer>))]
[JsonSerializable(typeof(AllocationBody))]
[JsonSerializable(typeof(CapBody))]
[JsonSerializable(typeof(WalletListAnswer))]
[JsonSerializable(typeof(SettingsBody))]
[JsonSerializable(typeof(SettingsAnswer))]
[JsonSerializable(typeof(PageAnswer<AlertAnswer>))]
[JsonSerializable(typeof(PageAnswer<LedgerEntryAnswer>))]
[JsonSerializable(typeof(PageAnswer<AuditAnswer>))]
[JsonSerializable(typeof(NewAccountBody))]
[JsonSerializable(typeof(CreatedKeyAnswer))]
[JsonSerializable(typeof(List<ApiKeyAnswer>))]
[JsonSerializable(typeof(List<SecurityEventAnswer>))]
[JsonSerializable(typeof(AdjustmentBody))]
[JsonSerializable(typeof(LotAnswer))]
[JsonSerializable(typeof(List<PackAnswer>))]
[JsonSerializable(typeof(ClockBody))]
[JsonSerializable(typeof(ClockAnswer))]
[JsonSerializable(typeof(HoldBody))]
[JsonSerializable(typeof(CaptureBody))]
[JsonSerializable(typeof(HoldAnswer))]
[JsonSerializable(typeof(List<HoldAnswer>))]
public sealed partial class ApiJsonContext : JsonSerializerContext
{
    /// <summary>
    /// What the endpoints use: the generated metadata with an encoder that leaves ' &lt; &gt; &amp; + readable
    /// (the default escapes them for HTML pages; these answers are JSON, never inlined in HTML).
    /// </summary>
    public static ApiJsonContext Wire { get; } = new(new JsonSerializerOptions(JsonSerializerDefaults.Web)
    {
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        NumberHandling = JsonNumberHandling.Strict,
        ReadCommentHandling = JsonCommentHandling.Disallow,
        Converters = { new JsonStringEnumConverter() },
    });
}
