using System.Diagnostics;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;
using VertexTraining.Core.Diagnostics;

namespace VertexTraining.Core.Cloud;

/// <summary>
/// Sends JSON requests to one Google REST API with a bearer token, and turns every failure into a
/// <see cref="CloudApiException"/> carrying a VTX4xxx code (VTX3xxx for token trouble) and the service's own
/// status and message. Bodies are read only up to a bound, so no answer can exhaust memory or flood a terminal.
/// <see cref="SendAsync"/> repeats transient failures (for idempotent calls); <see cref="TrySendOnceAsync"/>
/// never does, for calls such as create whose repetition could do the work twice.
/// </summary>
public sealed class CloudHttpClient
{
    private static readonly JsonSerializerOptions BodyOptions = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };
    private static readonly MediaTypeHeaderValue JsonContentType = MediaTypeHeaderValue.Parse("application/json; charset=utf-8");
    private static readonly string UserAgent = "VertexTraining/" + (typeof(CloudHttpClient).Assembly.GetName().Version?.ToString(3) ?? "0");

    private readonly HttpClient _http;
    private readonly IAccessTokenSource _tokens;
    private readonly Action<string>? _trace;

    /// <summary>Creates a client for one service.</summary>
    /// <param name="http">Sends the requests; its own timeout is not used (see <see cref="RetryPolicy.RequestTimeout"/>).</param>
    /// <param name="baseUri">The service's base URL (see <see cref="VertexEndpoints"/>): the only place the token is sent.</param>
    /// <param name="tokens">Source of access tokens; tokens are sent as headers only, never traced.</param>
    /// <param name="retry">Backoff, attempt count and per-attempt timeout.</param>
    /// <param name="serviceName">Named in messages, e.g. "Vertex AI".</param>
    /// <param name="trace">Receives one line per request and retry at verbose verbosity.</param>
    public CloudHttpClient(HttpClient http, Uri baseUri, IAccessTokenSource tokens, RetryPolicy retry, string serviceName, Action<string>? trace = null)
    {
        _http = http;
        BaseUri = VertexEndpoints.Normalize(baseUri.ToString());
        _tokens = tokens;
        Retry = retry;
        ServiceName = serviceName;
        _trace = trace;
    }

    /// <summary>The service's base URL; every request goes to it or below it.</summary>
    public Uri BaseUri { get; }

    /// <summary>The URL of <paramref name="relativePath"/> under <see cref="BaseUri"/>.</summary>
    public Uri Url(string relativePath) => new(BaseUri, relativePath);

    /// <summary>The retry policy in force.</summary>
    public RetryPolicy Retry { get; }

    /// <summary>The service named in messages.</summary>
    public string ServiceName { get; }

    /// <summary>The largest success body read (32 MiB): a bigger one is VTX4015, never parsed.</summary>
    public const long MaxResponseBytes = 32L * 1024 * 1024;

    /// <summary>How much of an error body is read (64 KiB): enough for any google.rpc.Status, never a flood.</summary>
    public const long MaxErrorBodyBytes = 64 * 1024;

    /// <summary>Sends an idempotent request (GET, list, cancel), repeating transient failures.</summary>
    /// <returns>The response body (an empty object for an empty body).</returns>
    public async Task<JsonObject> SendAsync(HttpMethod method, Uri uri, JsonNode? body, CancellationToken cancellationToken)
    {
        for (var attempt = 1; ; attempt++)
        {
            var outcome = await TrySendOnceAsync(method, uri, body, cancellationToken).ConfigureAwait(false);
            if (outcome.Failure is not { } failure)
            {
                return outcome.Result!;
            }

            if (!failure.Retryable || attempt >= Retry.MaxAttempts)
            {
                throw failure.ToException(attempt);
            }

            var delay = Retry.BackoffFor(attempt, failure.RetryDelay);
            Trace($"{failure.Summary}; retrying {method} {uri} in {delay.TotalSeconds:0.###} s (attempt {attempt + 1} of {Retry.MaxAttempts})");
            await Retry.Delay(delay, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// Sends a request once. Failures are returned, not thrown, so the caller decides what a retry means; only
    /// what no retry can change is thrown (a request outside the endpoint, a refused credential, a body over
    /// <see cref="MaxResponseBytes"/>).
    /// </summary>
    /// <remarks>
    /// A 401 on a token the source still considered valid (revoked early, rotated keys) gets one forced
    /// refresh and one more try: the service refused the request, so repeating it is safe even for a create.
    /// </remarks>
    public async Task<CloudCallOutcome> TrySendOnceAsync(HttpMethod method, Uri uri, JsonNode? body, CancellationToken cancellationToken)
    {
        EnsureUnderBase(uri);
        string token;
        try
        {
            token = await _tokens.GetAccessTokenAsync(cancellationToken).ConfigureAwait(false);
            var outcome = await SendWithTokenAsync(method, uri, body, token, cancellationToken).ConfigureAwait(false);
            if (outcome.Failure is not { Kind: CloudFailureKind.HttpError, Error.HttpStatus: 401 })
            {
                return outcome;
            }

            Trace($"{method} {uri} -> 401 on a token not yet expired; refreshing the token once");
            token = await _tokens.RefreshAccessTokenAsync(token, cancellationToken).ConfigureAwait(false);
            return await SendWithTokenAsync(method, uri, body, token, cancellationToken).ConfigureAwait(false);
        }
        catch (VertexCloudException e) when (e.IsTransient)
        {
            // The token endpoint is down or slow: nothing was sent, and trying again later may well work.
            Trace($"{method} {uri} -> no access token: {e.Message}");
            return CloudCallOutcome.Failed(new CloudCallFailure(this, method, uri, CloudFailureKind.TokenUnavailable, null, e));
        }
    }

    private async Task<CloudCallOutcome> SendWithTokenAsync(HttpMethod method, Uri uri, JsonNode? body, string token, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(method, uri);
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        request.Headers.UserAgent.ParseAdd(UserAgent);
        if (body is not null)
        {
            request.Content = new StringContent(body.ToJsonString(BodyOptions), Encoding.UTF8);
            request.Content.Headers.ContentType = JsonContentType;
        }

        using var attemptTimeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        attemptTimeout.CancelAfter(Retry.RequestTimeout);
        var clock = Stopwatch.StartNew();
        Trace($"{method} {uri}");
        try
        {
            using var response = await _http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, attemptTimeout.Token).ConfigureAwait(false);
            var status = (int)response.StatusCode;
            if (response.IsSuccessStatusCode)
            {
                var (text, complete) = await BoundedBody.ReadAsync(response.Content, MaxResponseBytes, attemptTimeout.Token).ConfigureAwait(false);
                Trace($"{method} {uri} -> {status} ({clock.ElapsedMilliseconds} ms)");
                if (!complete)
                {
                    throw new CloudApiException(DiagnosticCodes.ApiResponseTooLarge,
                        $"{ServiceName} sent a response larger than {MaxResponseBytes / (1024 * 1024)} MiB ({method} {uri.GetLeftPart(UriPartial.Path)}); it was not read. "
                        + "A job or log page this large is not expected: check the API endpoint, or narrow the request (e.g. list --page-size).",
                        status, null, null);
                }

                return ParseSuccess(method, uri, text, status);
            }

            // Only the start of an error body is read: its message is all we print, and a huge one must not be held or shown whole.
            var (errorText, _) = await BoundedBody.ReadAsync(response.Content, MaxErrorBodyBytes, attemptTimeout.Token).ConfigureAwait(false);
            Trace($"{method} {uri} -> {status} ({clock.ElapsedMilliseconds} ms)");
            var error = GoogleApiError.Parse(status, errorText, response.Headers);
            return CloudCallOutcome.Failed(new CloudCallFailure(this, method, uri, CloudFailureKind.HttpError, error, null));
        }
        catch (OperationCanceledException e) when (!cancellationToken.IsCancellationRequested)
        {
            Trace($"{method} {uri} -> no response within {Retry.RequestTimeout.TotalSeconds:0.###} s");
            return CloudCallOutcome.Failed(new CloudCallFailure(this, method, uri, CloudFailureKind.Timeout, null, e));
        }
        catch (Exception e) when (e is HttpRequestException or IOException)
        {
            Trace($"{method} {uri} -> {e.GetType().Name}: {e.Message}");
            return CloudCallOutcome.Failed(new CloudCallFailure(this, method, uri, CloudFailureKind.Network, null, e));
        }
    }

    private CloudCallOutcome ParseSuccess(HttpMethod method, Uri uri, string text, int status)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return CloudCallOutcome.Succeeded(new JsonObject());
        }

        try
        {
            if (JsonNode.Parse(text) is JsonObject result)
            {
                return CloudCallOutcome.Succeeded(result);
            }
        }
        catch (JsonException)
        {
        }

        var snippet = BoundedBody.Snippet(text, 120);
        return CloudCallOutcome.Failed(new CloudCallFailure(this, method, uri, CloudFailureKind.MalformedResponse,
            new GoogleApiError(status, null, $"the response is not a JSON object: {snippet}", null), null));
    }

    private void Trace(string line) => _trace?.Invoke(line);

    // The last line of defence for the token: names are checked where they enter, and this refuses any
    // request that would still leave the configured host or climb out of its base path.
    private void EnsureUnderBase(Uri uri)
    {
        var under = uri.IsAbsoluteUri
            && string.Equals(uri.Scheme, BaseUri.Scheme, StringComparison.OrdinalIgnoreCase)
            && string.Equals(uri.IdnHost, BaseUri.IdnHost, StringComparison.OrdinalIgnoreCase)
            && uri.Port == BaseUri.Port
            && uri.AbsolutePath.StartsWith(BaseUri.AbsolutePath, StringComparison.Ordinal)
            && !uri.AbsolutePath.Split('/').Contains("..")
            && string.IsNullOrEmpty(uri.UserInfo)
            && string.IsNullOrEmpty(uri.Fragment);
        if (!under)
        {
            throw new VertexCloudException(DiagnosticCodes.RequestOutsideEndpoint,
                $"Refused to send a {ServiceName} request to {uri.GetLeftPart(UriPartial.Path)}: it is not under the configured endpoint {BaseUri}, and requests carry the access token.");
        }
    }
}

/// <summary>What went wrong with one attempt.</summary>
public enum CloudFailureKind
{
    /// <summary>The service answered with an error status.</summary>
    HttpError,

    /// <summary>No response within the attempt's timeout.</summary>
    Timeout,

    /// <summary>The connection failed or was reset.</summary>
    Network,

    /// <summary>A success status with a body that is not a JSON object.</summary>
    MalformedResponse,

    /// <summary>No access token: the token endpoint failed transiently, so nothing was sent.</summary>
    TokenUnavailable,
}

/// <summary>The result of one attempt: a JSON body or a failure.</summary>
public sealed class CloudCallOutcome
{
    private CloudCallOutcome(JsonObject? result, CloudCallFailure? failure)
    {
        Result = result;
        Failure = failure;
    }

    /// <summary>The body on success.</summary>
    public JsonObject? Result { get; }

    /// <summary>The failure, or null on success.</summary>
    public CloudCallFailure? Failure { get; }

    internal static CloudCallOutcome Succeeded(JsonObject result) => new(result, null);

    internal static CloudCallOutcome Failed(CloudCallFailure failure) => new(null, failure);
}

/// <summary>A failed attempt, classified for retry decisions.</summary>
public sealed class CloudCallFailure
{
    private readonly CloudHttpClient _client;
    private readonly HttpMethod _method;
    private readonly Uri _uri;
    private readonly Exception? _exception;

    internal CloudCallFailure(CloudHttpClient client, HttpMethod method, Uri uri, CloudFailureKind kind, GoogleApiError? error, Exception? exception)
    {
        _client = client;
        _method = method;
        _uri = uri;
        Kind = kind;
        Error = error;
        _exception = exception;
    }

    /// <summary>The kind of failure.</summary>
    public CloudFailureKind Kind { get; }

    /// <summary>The service's error, for <see cref="CloudFailureKind.HttpError"/> and malformed bodies.</summary>
    public GoogleApiError? Error { get; }

    /// <summary>Whether an idempotent request may simply be repeated.</summary>
    public bool Retryable => Kind != CloudFailureKind.HttpError || RetryPolicy.IsRetryableStatus(Error!.HttpStatus);

    /// <summary>
    /// Whether the request may have taken effect although no success was seen: timeouts, resets,
    /// 5xx and unreadable success bodies. 4xx (429 included) means the service refused the request.
    /// </summary>
    public bool MayHaveTakenEffect => Kind switch
    {
        CloudFailureKind.HttpError => Error!.HttpStatus >= 500,
        CloudFailureKind.TokenUnavailable => false,
        _ => true,
    };

    /// <summary>The delay the service asked for (RetryInfo or Retry-After), if any.</summary>
    public TimeSpan? RetryDelay => Error?.RetryDelay;

    /// <summary>One line for traces and messages.</summary>
    public string Summary => Kind switch
    {
        CloudFailureKind.HttpError => $"{Error!.HttpStatus}{(Error.Status is null ? "" : " " + Error.Status)}: {Error.Message}",
        CloudFailureKind.Timeout => "no response (timed out)",
        CloudFailureKind.Network => $"connection failed: {_exception?.Message}",
        CloudFailureKind.TokenUnavailable => $"no access token: {_exception?.Message}",
        _ => $"malformed response: {Error?.Message}",
    };

    /// <summary>The user-facing exception after <paramref name="attempts"/> attempts.</summary>
    public CloudApiException ToException(int attempts)
    {
        var where = $"{_method} {_uri.GetLeftPart(UriPartial.Path)}";
        var service = _client.ServiceName;
        var tried = attempts > 1 ? $" after {attempts} attempts" : "";
        switch (Kind)
        {
            case CloudFailureKind.HttpError when !Retryable || attempts <= 1:
                var (code, hint) = Error!.HttpStatus switch
                {
                    400 => (DiagnosticCodes.ApiInvalidArgument, " The request was rejected as invalid; fix the property or document named in the message."),
                    401 => (DiagnosticCodes.ApiUnauthenticated, " The access token was not accepted; run 'dotnet vertex auth check'."),
                    403 => (DiagnosticCodes.ApiPermissionDenied, " The identity lacks permission (Vertex AI needs roles/aiplatform.user, logs need roles/logging.viewer) or the API is not enabled in the project."),
                    404 => (DiagnosticCodes.ApiNotFound, " Check the job name, project and region."),
                    409 => (DiagnosticCodes.ApiConflict, ""),
                    _ => (DiagnosticCodes.ApiRequestFailed, ""),
                };
                return new CloudApiException(code, $"{service} returned {Summary} ({where}).{hint}", Error.HttpStatus, Error.Status, Error.Message, _exception);
            case CloudFailureKind.HttpError:
                return new CloudApiException(DiagnosticCodes.ApiRetriesExhausted,
                    $"{service} kept failing{tried}; the last answer was {Summary} ({where}). Try again later.",
                    Error!.HttpStatus, Error.Status, Error.Message, _exception) { IsTransient = true };
            case CloudFailureKind.MalformedResponse:
                return new CloudApiException(DiagnosticCodes.ApiMalformedResponse, $"{service} sent a {Summary}{tried} ({where}).",
                    Error?.HttpStatus, null, Error?.Message, _exception) { IsTransient = true };
            case CloudFailureKind.TokenUnavailable:
                // Keeps the credential's own VTX3xxx code and message, which name the credential and its token endpoint.
                var cause = (VertexCloudException)_exception!;
                return new CloudApiException(cause.Code, $"{cause.Message}{(attempts > 1 ? $" (gave up{tried})" : "")}", null, null, null, cause) { IsTransient = true };
            default:
                return new CloudApiException(DiagnosticCodes.ApiUnreachable,
                    $"Could not reach {service} at {_uri.Host}{tried}: {Summary}. Check the network, proxy settings and the API endpoint ({where}).",
                    null, null, null, _exception) { IsTransient = true };
        }
    }
}
