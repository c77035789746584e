using System.Net;
using System.Net.Sockets;

namespace MultiLabel.Testing;

/// <summary>A real HTTP server on 127.0.0.1 (a free port) under <c>/models/</c> (or another folder) that answers every
/// request with <c>handle</c>, for download tests.</summary>
sealed class LocalHttpServer : IDisposable
{
    readonly HttpListener listener = new();
    int requests;

    public LocalHttpServer(Action<HttpListenerRequest, HttpListenerResponse> handle, string folder = "models")
    {
        Root = new Uri($"http://127.0.0.1:{FreePort()}/{folder}/");
        listener.Prefixes.Add(Root.ToString());
        listener.Start();
        new Thread(() =>
        {
            while (listener.IsListening)
            {
                HttpListenerContext context;
                try { context = listener.GetContext(); }
                catch (Exception e) when (e is HttpListenerException or ObjectDisposedException or InvalidOperationException) { return; }
                Interlocked.Increment(ref requests);
                try { handle(context.Request, context.Response); }
                catch (Exception e) when (e is HttpListenerException or IOException) { }
            }
        }) { IsBackground = true }.Start();
    }

    public Uri Root { get; }
    public int Requests => Volatile.Read(ref requests);

    /// <summary>A port nothing listens on (free a moment ago).</summary>
    public static int FreePort()
    {
        var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        int port = ((IPEndPoint)probe.LocalEndpoint).Port;
        probe.Stop();
        return port;
    }

    public static void Send(HttpListenerResponse response, byte[] body)
    {
        response.ContentLength64 = body.Length;
        response.OutputStream.Write(body);
        response.Close();
    }

    public void Dispose()
    {
        if (listener.IsListening) listener.Stop();
        listener.Close();
    }
}
