namespace VertexTraining.Runtime;

/// <summary>What a replica does in a Vertex AI job, by the worker pool it belongs to.</summary>
public enum TaskRole
{
    /// <summary>Worker pool 0 (<c>workerpool0</c>; TF_CONFIG <c>chief</c> or <c>master</c>): the single primary replica, which reports the job's status.</summary>
    Primary,

    /// <summary>Worker pool 1 (<c>workerpool1</c>; TF_CONFIG <c>worker</c>): additional training replicas.</summary>
    Worker,

    /// <summary>Worker pool 2 (<c>workerpool2</c>; TF_CONFIG <c>ps</c>): parameter servers or Reduction Server replicas.</summary>
    ParameterServer,

    /// <summary>Worker pool 3 (<c>workerpool3</c>; TF_CONFIG <c>evaluator</c>): evaluators.</summary>
    Evaluator,

    /// <summary>A pool or role name this library does not know.</summary>
    Unknown,
}
