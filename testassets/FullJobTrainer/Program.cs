// A stand-in training app: the tests only inspect the job document and the image built from it.
Console.WriteLine($"args=[{string.Join(",", args)}]");
