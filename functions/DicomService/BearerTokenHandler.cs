using System.Net;
using System.Net.Http.Headers;

namespace IchFunctions.Functions.DicomService;

/// <summary>
/// Adds <c>Authorization: Bearer</c> with the DICOM service token to each attempt of a request; sends no
/// token when DicomService__TokenScope is empty (a local DICOMweb server). A 401 drops the cached token.
/// </summary>
public sealed class BearerTokenHandler(DicomServiceTokenCache tokens) : DelegatingHandler
{
    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (tokens.Scope is null)
        {
            return await base.SendAsync(request, cancellationToken).ConfigureAwait(false);
        }

        string token = await tokens.GetTokenAsync(cancellationToken).ConfigureAwait(false);
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        HttpResponseMessage response = await base.SendAsync(request, cancellationToken).ConfigureAwait(false);
        if (response.StatusCode == HttpStatusCode.Unauthorized)
        {
            tokens.Invalidate(token);
        }

        return response;
    }
}
