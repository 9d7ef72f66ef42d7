using Azure.Identity;
using Azure.Storage.Blobs;
using IchFunctions.Inference.Options;
using Microsoft.Extensions.Options;

namespace IchFunctions.Inference.Model;

/// <summary>Finds the ONNX model file: the configured path, or a local copy of the configured blob.</summary>
internal sealed class ModelSource(IOptions<ModelOptions> options, ILogger<ModelSource> logger)
{
    /// <summary>Folder that receives downloaded models; the container mounts nothing here.</summary>
    private static readonly string DownloadFolder = Path.Combine(Path.GetTempPath(), "ich-model");

    /// <summary>Describes the source for logs, without query strings.</summary>
    public string Description =>
        options.Value.BlobUrl is { } url && OptionsFailures.IsSet(url) ? $"blob {url.Host}{url.AbsolutePath}" : $"file {options.Value.Path}";

    /// <summary>Returns a local path of the model, downloading the blob with the managed identity first when a blob URL is set.</summary>
    public async Task<string> ResolveAsync(CancellationToken cancellationToken)
    {
        ModelOptions settings = options.Value;
        if (!OptionsFailures.IsSet(settings.BlobUrl))
        {
            return Path.GetFullPath(settings.Path!);
        }

        Uri url = settings.BlobUrl;
        logger.ModelDownloading(url.Host, url.AbsolutePath);
        Directory.CreateDirectory(DownloadFolder);
        string target = Path.Combine(DownloadFolder, Path.GetFileName(url.AbsolutePath));

        // DefaultAzureCredential takes the user-assigned managed identity named by AZURE_CLIENT_ID in Azure.
        // NOTE: no test runs this download; Azurite accepts token credentials only over HTTPS with OAuth enabled.
        var blob = new BlobClient(url, new DefaultAzureCredential());
        string partial = target + ".partial";
        await blob.DownloadToAsync(partial, cancellationToken).ConfigureAwait(false);
        File.Move(partial, target, overwrite: true);
        return target;
    }
}
