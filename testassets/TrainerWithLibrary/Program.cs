Console.WriteLine($"shared={Shared.Greeting.Text}");
