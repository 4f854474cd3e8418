namespace VertexTraining.Runtime.Tests;

public class GcsPathTests
{
    [Theory]
    [InlineData("gs://bucket/path/to/x.csv", "/gcs/bucket/path/to/x.csv")]
    [InlineData("gs://bucket/model/", "/gcs/bucket/model/")]
    [InlineData("gs://bucket", "/gcs/bucket")]
    [InlineData("GS://bucket/x", "/gcs/bucket/x")]
    [InlineData("/data/x.csv", "/data/x.csv")]
    [InlineData("relative/dir", "relative/dir")]
    [InlineData("/gcs/bucket/x", "/gcs/bucket/x")]
    [InlineData("", "")]
    public void ToLocal_maps_gs_uris_onto_the_fuse_mount(string path, string expected)
    {
        Assert.Equal(expected, GcsPath.ToLocal(path));
    }

    [Theory]
    [InlineData("/gcs/bucket/path/to/x.csv", "gs://bucket/path/to/x.csv")]
    [InlineData("/gcs/bucket", "gs://bucket")]
    [InlineData("/gcs/", "/gcs/")]
    [InlineData("/gcs", "/gcs")]
    [InlineData("/gcsx/bucket", "/gcsx/bucket")]
    [InlineData("/data/x", "/data/x")]
    [InlineData("gs://bucket/x", "gs://bucket/x")]
    public void ToGcsUri_maps_the_fuse_mount_back(string path, string expected)
    {
        Assert.Equal(expected, GcsPath.ToGcsUri(path));
    }

    [Theory]
    [InlineData("gs://")]
    [InlineData("gs:///x")]
    public void A_uri_without_bucket_is_rejected(string uri)
    {
        var e = Assert.Throws<ArgumentException>(() => GcsPath.ToLocal(uri));

        Assert.Contains("names no bucket", e.Message);
    }

    [Fact]
    public void Mapping_round_trips()
    {
        const string uri = "gs://my-bucket/runs/7/model/weights.bin";

        Assert.Equal(uri, GcsPath.ToGcsUri(GcsPath.ToLocal(uri)));
    }
}
